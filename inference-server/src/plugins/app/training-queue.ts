import fp from 'fastify-plugin';
import { dataFolders, type Config } from '../../config.ts';
import { TrainingJobQueue } from '../../training/job-queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    trainingQueue: TrainingJobQueue;
  }
}

/** The training job queue; each job runs in a worker thread of its own, beside the inference workers. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const folders = dataFolders(opts.config);
    const jobs = new TrainingJobQueue({
      catalog: fastify.catalog,
      store: fastify.imageStore,
      models: fastify.models,
      events: fastify.liveEvents,
      replicas: fastify.replicas,
      instanceId: fastify.instanceId,
      leaseMs: opts.config.HYDRA_CLAIM_LEASE_MS,
      logger: fastify.log.child({ component: 'training' }),
      modelsDir: folders.models,
      weightsDir: folders.weights,
      concurrency: opts.config.HYDRA_TRAINING_WORKERS,
      backend: fastify.inferencePool.backend.name,
    });
    await jobs.start();
    fastify.decorate('trainingQueue', jobs);
    fastify.addHook('preClose', () => jobs.close());
  },
  {
    name: 'training-queue',
    dependencies: ['catalog', 'replicas', 'image-store', 'inference-pool', 'pipeline'],
  },
);
