import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses, ServerStatus } from '../../../../schemas/index.ts';
import { serverStatus } from '../../../../views/server-status.ts';

const status: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Backend, workers, queue, throughput, latency, catalog and InfluxDB health',
        response: { 200: ServerStatus, ...problemResponses },
      },
    },
    () => serverStatus(fastify),
  );
};

export default status;
