import type { FastifyPluginAsync } from 'fastify';

/** Prometheus text format, for scrapers; no token, as scrapers rarely carry one. */
const metrics: FastifyPluginAsync = async (fastify) => {
  fastify.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const registry = fastify.metricsRegistry;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

export default metrics;
