import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../../../../schemas/index.ts';
import { SERVER_VERSION } from '../../../../version.ts';

/** Liveness with no token needed; with a token it also says whose it is (the data source's health check). */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    { schema: { summary: "Liveness, version, and the caller token's role", response: { 200: Health } } },
    async (request) => {
      const principal = await fastify.authenticate(request).catch(() => null);
      return {
        status: 'ok' as const,
        version: SERVER_VERSION,
        authenticated: principal !== null,
        role: principal?.role ?? null,
      };
    },
  );
};

export default health;
