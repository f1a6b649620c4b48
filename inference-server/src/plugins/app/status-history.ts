import path from 'node:path';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { ImageStorageGauge } from '../../status/image-storage.ts';
import { StatusHistory } from '../../status/status-history.ts';

declare module 'fastify' {
  interface FastifyInstance {
    statusHistory: StatusHistory;
    imageStorage: ImageStorageGauge;
  }
}

/**
 * The Status page's history (a sample of the load every HYDRA_STATUS_SAMPLE_SECONDS, kept in memory for
 * HYDRA_STATUS_HISTORY_MINUTES) and the image store's disk use (walked in the background at most every
 * HYDRA_STATUS_STORAGE_SECONDS).
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const logger = fastify.log.child({ component: 'status-history' });
    const history = new StatusHistory(
      async () => {
        const workers = fastify.inferencePool.stats();
        const latency = fastify.pipelineStats.latency();
        return {
          pending: await fastify.catalog.images.countPending(),
          imagesPerSecond: fastify.pipelineStats.throughput().imagesPerSecond,
          p50: latency.p50,
          p99: latency.p99,
          influxBuffered: fastify.influxStatus().buffered,
          busyWorkers: workers.busy,
        };
      },
      config.HYDRA_STATUS_SAMPLE_SECONDS * 1000,
      config.HYDRA_STATUS_HISTORY_MINUTES * 60_000,
      (error) => logger.warn({ err: error }, 'could not take a status sample'),
    );
    const storage = new ImageStorageGauge(
      path.join(fastify.imageStore.root, 'images'),
      config.HYDRA_STATUS_STORAGE_SECONDS * 1000,
      (error) => logger.warn({ err: error }, 'could not measure the image store'),
    );
    fastify.decorate('statusHistory', history);
    fastify.decorate('imageStorage', storage);

    fastify.addHook('onReady', async () => {
      history.start();
      storage.current();
    });
    fastify.addHook('onClose', async () => {
      await history.stop();
      await storage.settled();
    });
  },
  {
    name: 'status-history',
    dependencies: ['catalog', 'image-store', 'inference-pool', 'pipeline', 'point-writer'],
  },
);
