import fp from 'fastify-plugin';
import { dataFolders, type Config } from '../../config.ts';
import { LabelingService } from '../../labels/labeling-service.ts';
import { AgreementTracker } from '../../models/agreement.ts';
import { AnomalyService } from '../../models/anomaly-service.ts';
import { GradCamService } from '../../models/gradcam-service.ts';
import { ModelLibrary } from '../../models/model-library.ts';
import { ReferenceDistanceService } from '../../models/reference-distance-service.ts';
import { Batcher } from '../../pipeline/batcher.ts';
import { IngestService } from '../../pipeline/ingest.ts';
import { LiveEvents } from '../../pipeline/live-events.ts';
import { MachineState } from '../../pipeline/machine-state.ts';
import { PipelineStats } from '../../pipeline/pipeline-stats.ts';
import { gradCamSink, InfluxSink, liveEventsSink, statsSink } from '../../pipeline/sinks/index.ts';
import { VerdictSinks } from '../../pipeline/verdict-sinks.ts';
import { ReprocessQueue } from '../../reprocess/reprocess-queue.ts';
import { ReprocessService } from '../../reprocess/reprocess-service.ts';
import { announceLiveEvents, relayLiveEvents } from '../../replicas/live-event-relay.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestService;
    models: ModelLibrary;
    agreement: AgreementTracker;
    labeling: LabelingService;
    gradcam: GradCamService;
    liveEvents: LiveEvents;
    pipelineStats: PipelineStats;
    verdictSinks: VerdictSinks;
    /** Beam and run, written by the EPICS plugin; read by the batcher and ingest. */
    machineState: MachineState;
    reprocessing: ReprocessService;
    anomaly: AnomalyService;
    referenceDistance: ReferenceDistanceService;
  }
}

const SWEEP_INTERVAL_MS = 1000;

/** From image to verdict: ingest, the batcher over the catalog queue, and the sinks each verdict goes to. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const { instanceId, replicas } = fastify;
    const events = new LiveEvents(replicas.shared ? announceLiveEvents(replicas) : undefined);
    const stats = new PipelineStats();
    const machine = new MachineState();
    const folders = dataFolders(config);
    const models = new ModelLibrary({
      catalog: fastify.catalog,
      pool: fastify.inferencePool,
      replicas,
      logger: fastify.log.child({ component: 'model-library' }),
      dataDir: folders.root,
      modelsDir: folders.models,
      promotionMargin: config.HYDRA_PROMOTION_MARGIN,
    });
    const gradcam = new GradCamService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      pool: fastify.inferencePool,
      models,
      logger: fastify.log.child({ component: 'gradcam' }),
      cacheDir: folders.gradcam,
    });
    const anomaly = new AnomalyService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      pool: fastify.inferencePool,
      logger: fastify.log.child({ component: 'anomaly' }),
      dataDir: folders.root,
      modelsDir: folders.models,
      weightsDir: folders.weights,
      cacheDir: folders.gradcam,
      backend: fastify.inferencePool.backend.name,
    });
    const referenceDistance = new ReferenceDistanceService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      pool: fastify.inferencePool,
      logger: fastify.log.child({ component: 'reference-distance' }),
      dataDir: folders.root,
      modelsDir: folders.models,
      backend: fastify.inferencePool.backend.name,
    });
    const writer = fastify.pointWriter;
    const influx =
      writer && new InfluxSink(writer, fastify.catalog, fastify.log.child({ component: 'influx' }));
    const sinks = new VerdictSinks(
      [...(influx ? [influx] : []), liveEventsSink(events), statsSink(stats), gradCamSink(gradcam)],
      fastify.log.child({ component: 'verdict-sinks' }),
    );

    // Reprocessing jobs are the batcher's background work: they take the workers live images leave idle.
    const reprocessLog = fastify.log.child({ component: 'reprocessing' });
    const reprocessQueue = new ReprocessQueue({
      catalog: fastify.catalog,
      pool: fastify.inferencePool,
      events,
      logger: reprocessLog,
      instanceId,
      batchSize: config.HYDRA_REPROCESS_BATCH_SIZE,
      // All workers but one by default: the main thread and a live burst keep a core of their own.
      workers: config.HYDRA_REPROCESS_WORKERS || Math.max(1, fastify.inferencePool.stats().size - 1),
      leaseMs: config.HYDRA_CLAIM_LEASE_MS,
      wake: () => batcher.notify(),
    });
    const batcher = new Batcher({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      pool: fastify.inferencePool,
      models,
      logger: fastify.log.child({ component: 'batcher' }),
      instanceId,
      batchSize: config.HYDRA_BATCH_SIZE,
      maxWaitMs: config.HYDRA_BATCH_WAIT_MS,
      leaseMs: config.HYDRA_CLAIM_LEASE_MS,
      sweepIntervalMs: SWEEP_INTERVAL_MS,
      sinks,
      machine,
      background: reprocessQueue,
      anomaly,
      references: referenceDistance,
    });
    const ingest = new IngestService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      maxImagePixels: config.HYDRA_MAX_IMAGE_PIXELS,
      autoRegister: config.HYDRA_AUTO_REGISTER,
      logger: fastify.log.child({ component: 'ingest' }),
      onPending: () => batcher.notify(),
      machine,
    });

    fastify.decorate('ingest', ingest);
    fastify.decorate('models', models);
    fastify.decorate('gradcam', gradcam);
    fastify.decorate('anomaly', anomaly);
    fastify.decorate('referenceDistance', referenceDistance);
    const agreement = new AgreementTracker(fastify.catalog, (points) => writer?.write(points));
    fastify.decorate('agreement', agreement);
    fastify.decorate(
      'labeling',
      new LabelingService(fastify.catalog, agreement, events, fastify.log.child({ component: 'labeling' })),
    );
    fastify.decorate('liveEvents', events);
    fastify.decorate('pipelineStats', stats);
    fastify.decorate('verdictSinks', sinks);
    fastify.decorate('machineState', machine);
    fastify.decorate('reprocessing', new ReprocessService(fastify.catalog, reprocessQueue, reprocessLog));
    const stopRelaying = relayLiveEvents({
      bus: replicas,
      catalog: fastify.catalog,
      events,
      logger: fastify.log.child({ component: 'replicas' }),
    });
    const stopFollowing = replicas.on('activation', (message, from) =>
      models.activatedElsewhere(message, from),
    );
    fastify.addHook('onReady', async () => {
      await influx?.replayUnwritten(config.HYDRA_INFLUX_BUFFER_MAX);
      await reprocessQueue.start();
      await batcher.start();
    });
    // Before the pool and the catalog close: running batches finish and their verdicts are stored.
    fastify.addHook('preClose', async () => {
      stopRelaying();
      stopFollowing();
      await batcher.close();
      await gradcam.close();
      await anomaly.close();
      await referenceDistance.close();
    });
  },
  {
    name: 'pipeline',
    dependencies: ['catalog', 'replicas', 'image-store', 'point-writer', 'inference-pool'],
  },
);
