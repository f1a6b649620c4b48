import rateLimit from '@fastify/rate-limit';
import type { onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { TooManyRequestsError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook for the upload route, after the token check: HYDRA_UPLOADS_PER_MINUTE per token. */
    uploadRateLimit: onRequestAsyncHookHandler;
  }
}

const MINUTE_MS = 60_000;
// Liveness probes (a load balancer, Docker) must not fail because their address is refused.
const UNLIMITED_ROUTES = new Set(['/api/v1/health']);

/**
 * Two limits, both counted in this process:
 * - failed authentications per client address: every 401 counts, and an address past the limit is refused before
 *   its token is even looked up, so a guessing or misconfigured client learns nothing and costs nothing;
 * - image uploads per API token, so that one runaway DAQ script cannot starve the others.
 * Each 429 is a problem that names the limit and its setting, with Retry-After.
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { HYDRA_AUTH_FAILURES_PER_MINUTE: maxFailures, HYDRA_UPLOADS_PER_MINUTE: maxUploads } = opts.config;
    // Limits only where this plugin puts them.
    await fastify.register(rateLimit, { global: false });

    if (maxFailures > 0) {
      const authFailures = fastify.createRateLimit({ max: maxFailures, timeWindow: MINUTE_MS });
      fastify.addHook('onRequest', async (request, reply) => {
        if (UNLIMITED_ROUTES.has(request.routeOptions.url ?? '')) return;
        const state = await authFailures(request, { increment: false });
        if (state.isAllowed || state.remaining > 0) return;
        reply.header('retry-after', state.ttlInSeconds);
        throw new TooManyRequestsError(
          `${maxFailures} failed authentications from ${request.ip} within a minute, the most ` +
            `HYDRA_AUTH_FAILURES_PER_MINUTE allows: requests from this address are refused for ` +
            `${state.ttlInSeconds} s more; check the API token`,
        );
      });
      fastify.addHook('onResponse', async (request, reply) => {
        if (reply.statusCode === 401) await authFailures(request);
      });
    }

    fastify.decorate(
      'uploadRateLimit',
      fastify.rateLimit({
        max: maxUploads,
        timeWindow: MINUTE_MS,
        keyGenerator: (request) => `upload:${request.principal?.name ?? ''}`,
        // Without tokens there is nobody to tell apart; a limit of 0 is none.
        allowList: () => !fastify.authEnabled || maxUploads === 0,
        // The library sets Retry-After and the X-RateLimit-* headers before it throws this.
        errorResponseBuilder: (request, context) =>
          new TooManyRequestsError(
            `the token "${request.principal?.name}" sent more than ${context.max} images within a minute, the ` +
              `most HYDRA_UPLOADS_PER_MINUTE allows: send again in ${context.after}`,
          ),
      }),
    );
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
