import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { serverPoint } from '../../influx/server-points.ts';
import { serverStatus } from '../../views/server-status.ts';

/**
 * Every HYDRA_INFLUX_SERVER_INTERVAL_MS, a `hydra_server` point with what `/api/v1/status` knows, through the
 * point writer (so it is batched, buffered and retried like the verdicts). Nothing without InfluxDB.
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const intervalMs = opts.config.HYDRA_INFLUX_SERVER_INTERVAL_MS;
    const writer = fastify.pointWriter;
    if (!writer || intervalMs === 0) return;
    const logger = fastify.log.child({ component: 'server-points' });
    let timer: NodeJS.Timeout | undefined;
    let writing: Promise<void> | undefined;

    const writeOne = async () => {
      try {
        writer.write([serverPoint(await serverStatus(fastify))]);
      } catch (error) {
        logger.warn({ err: error }, 'could not take the server status for InfluxDB');
      }
    };
    // A slow catalog skips a tick rather than piling up status reads.
    const tick = () => {
      writing ??= writeOne().finally(() => (writing = undefined));
    };

    fastify.addHook('onReady', async () => {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    });
    // Before the point writer and the catalog close: the last point is in the writer's final flush.
    fastify.addHook('preClose', async () => {
      clearInterval(timer);
      await writing;
    });
  },
  { name: 'server-points', dependencies: ['catalog', 'point-writer', 'inference-pool', 'pipeline', 'auth'] },
);
