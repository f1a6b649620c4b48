import type { Prediction } from '@hydra/inference-server/api';
import { filter, merge, Observable } from 'rxjs';
import type { HydraAppClient } from './appClient';
import type { TrainingJob } from './appTypes';
import type { HydraClient } from './client';

/** How long the event stream may take to open before short polling takes over. */
const STREAM_OPEN_TIMEOUT_MS = 4000;
/** Short polling when the event stream is not available: a new verdict shows within this plus a request. */
const POLL_INTERVAL_MS = 2000;

/**
 * One type of the server's Server-Sent Events of a deployment, through Grafana's proxy, or, where the stream cannot be
 * opened (no EventSource, a proxy that buffers, an error), what a poll finds every few seconds (`poller` makes the
 * poll of one subscription, which may keep state from one tick to the next).
 */
function serverEvents<T>(
  client: HydraClient,
  deployment: string,
  type: string,
  poller: () => (next: (value: T) => void) => Promise<void>
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let stopPolling: (() => void) | undefined;
    let source: EventSource | undefined;

    const startPolling = () => {
      if (stopPolling) {
        return;
      }
      source?.close();
      const poll = poller();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const tick = async () => {
        try {
          await poll((value) => subscriber.next(value));
        } catch {
          // The server is away for a moment: the next tick tries again, and the page keeps what it has.
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
      startPolling();
    } else {
      source = new EventSource(client.url('/events', { deployment }));
      const openTimeout = setTimeout(startPolling, STREAM_OPEN_TIMEOUT_MS);
      source.onopen = () => clearTimeout(openTimeout);
      source.addEventListener(type, (event) => {
        subscriber.next(JSON.parse((event as MessageEvent<string>).data) as T);
      });
      source.onerror = () => {
        // CONNECTING means the browser reconnects by itself (e.g. after Grafana's proxy timeout);
        // CLOSED means it gave up (an error status): poll instead.
        if (source?.readyState === EventSource.CLOSED) {
          clearTimeout(openTimeout);
          startPolling();
        }
      };
    }

    return () => {
      source?.close();
      stopPolling?.();
    };
  });
}

/**
 * New predictions of a deployment as they happen, from the event stream or short polling of GET /predictions. Either
 * way a new verdict arrives within a few seconds.
 */
export function predictionStream(client: HydraClient, deployment: string): Observable<Prediction> {
  return serverEvents<Prediction>(client, deployment, 'prediction', () => {
    let lastId: number | undefined;
    return async (next) => {
      const { items } = await client.predictions({ deployment, limit: 100 });
      const fresh = lastId === undefined ? [] : items.filter((p) => p.id > lastId!);
      lastId = Math.max(lastId ?? 0, ...items.map((p) => p.id));
      for (const prediction of fresh.reverse()) {
        next(prediction);
      }
    };
  });
}

/**
 * A training job as it progresses (epoch, loss, accuracy, ETA) until it ends: the job as it is now, then its
 * `training` events, or GET /training-jobs/:id every few seconds where the event stream cannot be opened.
 */
export function trainingJobStream(client: HydraAppClient, job: TrainingJob): Observable<TrainingJob> {
  const events = serverEvents<TrainingJob>(
    client,
    job.deployment,
    'training',
    () => async (next) => next(await client.trainingJob(job.id))
  );
  return merge(client.trainingJob(job.id), events).pipe(filter((update) => update.id === job.id));
}
