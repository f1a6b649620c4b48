import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

/** Multipart uploads; each route sets its own file size limit when it reads the parts. */
export default fp(
  async (fastify) => {
    await fastify.register(multipart, {
      limits: { files: 64, fields: 32, fieldSize: 64 * 1024 },
      throwFileSizeLimit: true,
    });
  },
  { name: 'multipart' },
);
