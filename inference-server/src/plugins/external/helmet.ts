import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * The usual security headers on every response. The server often runs on plain HTTP inside a control-room
 * network, so the CSP does not upgrade requests to HTTPS (that would break /docs there); the swagger UI's
 * scripts are its own files and its styles inline, which helmet's default policy allows.
 */
export default fp(
  async (fastify) => {
    await fastify.register(helmet, {
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    });
  },
  { name: 'helmet' },
);
