import type { PlotList } from '@hydra/inference-server/api';
import { Observable } from 'rxjs';
import type { HydraClient } from './client';
import { predictionStream } from './events';

/** Images stored without a model make no prediction events: the live plots also refresh this often. */
const LIVE_REFRESH_MS = 10_000;

/** A refresh of the live plots: the latest list, or why it could not be fetched (the stream stays open). */
export type LivePlotsUpdate = { plots: PlotList; error?: undefined } | { plots?: undefined; error: unknown };

/** The latest plots of a deployment, then again after every new verdict (coalesced), and every LIVE_REFRESH_MS. */
export function livePlots(client: HydraClient, deployment: string): Observable<LivePlotsUpdate> {
  return new Observable<LivePlotsUpdate>((subscriber) => {
    let running = false;
    let again = false;
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        subscriber.next({ plots: await client.plots(deployment) });
      } catch (error) {
        // Handed on rather than thrown: the stream stays open, and the next refresh may succeed.
        subscriber.next({ error });
      }
      running = false;
      if (again) {
        again = false;
        void refresh();
      }
    };
    void refresh();
    const events = predictionStream(client, deployment).subscribe(() => void refresh());
    const timer = setInterval(() => void refresh(), LIVE_REFRESH_MS);
    return () => {
      events.unsubscribe();
      clearInterval(timer);
    };
  });
}
