import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import { loadLabelChange } from '../labels/labeling-service.ts';
import type { LiveEvent, LiveEvents } from '../pipeline/live-events.ts';
import { predictionView, trainingJobView } from '../views/api-views.ts';
import { reprocessJobView } from '../views/reprocess-views.ts';
import { PREDICTION_IDS_PER_MESSAGE, type ReplicaBus } from './replica-bus.ts';

/** Announces events made here to the other replicas: the ids they load them by, and small fields. */
export function announceLiveEvents(bus: ReplicaBus): (events: readonly LiveEvent[]) => void {
  return (events) => {
    const predictionIds: number[] = [];
    for (const event of events) {
      if (event.type === 'prediction') predictionIds.push(event.data.id);
      else if (event.type === 'training') {
        bus.send({ type: 'training', jobId: event.data.id, progress: event.data.progress });
      } else if (event.type === 'reprocess') bus.send({ type: 'reprocess', jobId: event.data.id });
      else bus.send({ type: 'labels', batchId: event.data.id, action: event.data.action });
    }
    for (let start = 0; start < predictionIds.length; start += PREDICTION_IDS_PER_MESSAGE) {
      bus.send({ type: 'predictions', ids: predictionIds.slice(start, start + PREDICTION_IDS_PER_MESSAGE) });
    }
  };
}

/**
 * Rebuilds the events other replicas announce from the catalog, one after the other in the order they came, for
 * this replica's streams; returns what stops it.
 */
export function relayLiveEvents({
  bus,
  catalog,
  events,
  logger,
}: {
  bus: ReplicaBus;
  catalog: Catalog;
  events: LiveEvents;
  logger: FastifyBaseLogger;
}): () => void {
  let relayed = Promise.resolve();
  const relay = (load: () => Promise<LiveEvent[]>) => {
    // Nobody streams here: there is nothing to load.
    if (!events.listened) return;
    relayed = relayed
      .then(load)
      .then((loaded) => events.deliver(loaded))
      .catch((error: Error) => logger.warn({ err: error }, "could not relay another replica's live event"));
  };
  const stops = [
    bus.on('predictions', ({ ids }) =>
      relay(async () =>
        (await catalog.predictions.listByIds(ids)).map((verdict) => ({
          type: 'prediction' as const,
          data: predictionView(verdict),
        })),
      ),
    ),
    bus.on('training', ({ jobId, progress }) =>
      relay(async () => [
        { type: 'training', data: { ...trainingJobView(await catalog.trainingJobs.get(jobId)), progress } },
      ]),
    ),
    bus.on('reprocess', ({ jobId }) =>
      relay(async () => [
        { type: 'reprocess', data: reprocessJobView(await catalog.reprocessJobs.get(jobId)) },
      ]),
    ),
    bus.on('labels', ({ batchId, action }) =>
      relay(async () => [{ type: 'label', data: await loadLabelChange(catalog, batchId, action) }]),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
