import type { Prediction } from '@hydra/inference-server/api';
import { Observable } from 'rxjs';
import type { HydraClient } from './client';

/** How long the event stream may take to open before short polling takes over. */
const STREAM_OPEN_TIMEOUT_MS = 4000;
/** Short polling when the event stream is not available: a new verdict shows within this plus a request. */
const POLL_INTERVAL_MS = 2000;

/**
 * New predictions of a deployment as they happen: the server's Server-Sent Events through Grafana's proxy,
 * or, where the stream cannot be opened (no EventSource, a proxy that buffers, an error), short polling of
 * GET /predictions. Either way a new verdict arrives within a few seconds.
 */
export function predictionStream(client: HydraClient, deployment: string): Observable<Prediction> {
  return new Observable<Prediction>((subscriber) => {
    let stopPolling: (() => void) | undefined;
    let source: EventSource | undefined;

    const poll = () => {
      if (stopPolling) {
        return;
      }
      source?.close();
      let lastId: number | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const tick = async () => {
        try {
          const { items } = await client.predictions({ deployment, limit: 100 });
          const fresh = lastId === undefined ? [] : items.filter((p) => p.id > lastId!);
          lastId = Math.max(lastId ?? 0, ...items.map((p) => p.id));
          for (const prediction of fresh.reverse()) {
            subscriber.next(prediction);
          }
        } catch {
          // The server is away for a moment: the next tick tries again, and the panel keeps what it has.
        }
        if (!stopped) {
          timer = setTimeout(tick, POLL_INTERVAL_MS);
        }
      };
      void tick();
      stopPolling = () => {
        stopped = true;
        clearTimeout(timer);
      };
    };

    if (typeof EventSource === 'undefined') {
      poll();
    } else {
      source = new EventSource(client.url('/events', { deployment }));
      const openTimeout = setTimeout(poll, STREAM_OPEN_TIMEOUT_MS);
      source.onopen = () => clearTimeout(openTimeout);
      source.addEventListener('prediction', (event) => {
        subscriber.next(JSON.parse((event as MessageEvent<string>).data) as Prediction);
      });
      source.onerror = () => {
        // CONNECTING means the browser reconnects by itself (e.g. after Grafana's proxy timeout);
        // CLOSED means it gave up (an error status): poll instead.
        if (source?.readyState === EventSource.CLOSED) {
          clearTimeout(openTimeout);
          poll();
        }
      };
    }

    return () => {
      source?.close();
      stopPolling?.();
    };
  });
}
