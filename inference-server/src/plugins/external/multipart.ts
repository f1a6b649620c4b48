import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

export default fp(
  async (fastify, opts: { maxFileBytes: number }) => {
    await fastify.register(multipart, {
      limits: { fileSize: opts.maxFileBytes, files: 64, fields: 32, fieldSize: 64 * 1024 },
      throwFileSizeLimit: true,
    });
  },
  { name: 'multipart' },
);
