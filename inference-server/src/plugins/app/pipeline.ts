import os from 'node:os';
import fp from 'fastify-plugin';
import type { PredictionWithImage } from '../../catalog/catalog.ts';
import { dataFolders, type Config } from '../../config.ts';
import { predictionPoint } from '../../influx/prediction-points.ts';
import { AgreementTracker } from '../../models/agreement.ts';
import { GradCamService } from '../../models/gradcam-service.ts';
import { ModelRegistry } from '../../models/model-registry.ts';
import { Batcher } from '../../pipeline/batcher.ts';
import { IngestService } from '../../pipeline/ingest.ts';
import { PipelineStats } from '../../pipeline/pipeline-stats.ts';
import { LiveEvents } from '../../pipeline/live-events.ts';
import { predictionView } from '../../views/api-views.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestService;
    models: ModelRegistry;
    agreement: AgreementTracker;
    gradcam: GradCamService;
    liveEvents: LiveEvents;
    pipelineStats: PipelineStats;
    instanceId: string;
  }
}

const SWEEP_INTERVAL_MS = 1000;

/** From image to verdict: ingest, the batcher over the catalog queue, and where each verdict goes. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const instanceId = config.HYDRA_INSTANCE_ID || os.hostname();
    const events = new LiveEvents();
    const stats = new PipelineStats();
    const folders = dataFolders(config);
    const models = new ModelRegistry(fastify.catalog, folders.models);

    const gradcam = new GradCamService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      pool: fastify.inferencePool,
      models,
      logger: fastify.log.child({ component: 'gradcam' }),
      cacheDir: folders.gradcam,
    });

    const publish = (rows: PredictionWithImage[]) => {
      stats.recordClassified(rows.map((row) => row.latency_ms));
      const views = rows.map(predictionView);
      fastify.pointWriter?.write(
        rows.map((row, i) =>
          predictionPoint({
            predictionId: row.id,
            createdAt: row.created_at,
            deployment: row.deployment,
            plotType: row.plot_type,
            model: row.model_name,
            modelVersion: row.model_version,
            verdict: row.verdict,
            confirmed: row.confirmed === 1,
            probabilities: views[i]!.probabilities,
            confidence: row.confidence,
            run: row.run_number,
            imageId: row.image_id,
            latencyMs: row.latency_ms,
          }),
        ),
      );
      for (const view of views) events.publish('prediction', view);
      gradcam.precompute(rows);
    };

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
      onPredictions: publish,
    });
    const ingest = new IngestService({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      maxImagePixels: config.HYDRA_MAX_IMAGE_PIXELS,
      autoRegister: config.HYDRA_AUTO_REGISTER,
      logger: fastify.log.child({ component: 'ingest' }),
      onPending: () => batcher.notify(),
    });

    fastify.decorate('ingest', ingest);
    fastify.decorate('models', models);
    fastify.decorate('gradcam', gradcam);
    fastify.decorate(
      'agreement',
      new AgreementTracker(fastify.catalog, (points) => fastify.pointWriter?.write(points)),
    );
    fastify.decorate('liveEvents', events);
    fastify.decorate('pipelineStats', stats);
    fastify.decorate('instanceId', instanceId);
    fastify.addHook('onReady', () => batcher.start());
    // Before the pool and the catalog close: running batches finish and their verdicts are stored.
    fastify.addHook('preClose', async () => {
      await batcher.close();
      await gradcam.close();
    });
  },
  { name: 'pipeline', dependencies: ['catalog', 'image-store', 'point-writer', 'inference-pool'] },
);
