import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** The OpenAPI document, generated from the route schemas, and its UI at /docs. */
export default fp(
  async (fastify, opts: { version: string }) => {
    await fastify.register(swagger, {
      openapi: {
        info: {
          title: 'Hydra inference server',
          description: 'Classifies detector monitoring plots and reports the verdicts.',
          version: opts.version,
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearerAuth: [] }],
      },
    });
    await fastify.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
