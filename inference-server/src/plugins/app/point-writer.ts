import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { PointWriter, type PointWriterStatus } from '../../influx/point-writer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Absent when HYDRA_INFLUX_URL is empty. */
    pointWriter: PointWriter | null;
    influxStatus(): PointWriterStatus;
  }
}

const DISABLED: PointWriterStatus = {
  enabled: false,
  url: null,
  healthy: false,
  buffered: 0,
  written: 0,
  dropped: 0,
  rejected: 0,
  failedWrites: 0,
  lastError: null,
  lastWriteAt: null,
};

export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const writer = config.HYDRA_INFLUX_URL
      ? new PointWriter({
          url: config.HYDRA_INFLUX_URL,
          flushIntervalMs: config.HYDRA_INFLUX_FLUSH_MS,
          batchSize: config.HYDRA_INFLUX_BATCH_SIZE,
          maxBuffered: config.HYDRA_INFLUX_BUFFER_MAX,
          integerFields: {
            hydra_prediction: ['run', 'image_id', 'anomalous'],
            hydra_model_agreement: ['agree', 'image_id'],
          },
          logger: fastify.log.child({ component: 'influx' }),
        })
      : null;
    fastify.log.info(
      { influx: writer?.status().url ?? 'disabled (HYDRA_INFLUX_URL is empty)' },
      'InfluxDB writer',
    );
    fastify.decorate('pointWriter', writer);
    fastify.decorate('influxStatus', () => writer?.status() ?? DISABLED);
    if (writer) fastify.addHook('onClose', () => writer.close());
  },
  { name: 'point-writer' },
);
