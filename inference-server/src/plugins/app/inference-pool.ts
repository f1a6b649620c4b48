import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import type { BackendPreference } from '../../inference/messages.ts';
import { InferencePool } from '../../inference/pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    inferencePool: InferencePool;
  }
}

export default fp(
  async (fastify, opts: { config: Config }) => {
    const pool = await InferencePool.start({
      size: opts.config.HYDRA_WORKERS || undefined,
      backend: opts.config.HYDRA_BACKEND as BackendPreference,
    });
    const { backend } = pool;
    fastify.log.info(
      { backend: backend.name, skipped: backend.skipped, workers: pool.stats().size },
      `TensorFlow.js backend: ${backend.name}`,
    );
    fastify.decorate('inferencePool', pool);
    fastify.addHook('onClose', () => pool.close());
  },
  { name: 'inference-pool' },
);
