import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import { MAX_FIELD_BYTES, MAX_FILES } from '../../http/multipart-form.ts';

/** Multipart uploads; each route sets its own file limits when it reads the parts. */
export default fp(
  async (fastify) => {
    await fastify.register(multipart, {
      limits: { files: MAX_FILES, fields: 32, fieldSize: MAX_FIELD_BYTES },
      throwFileSizeLimit: true,
    });
  },
  { name: 'multipart' },
);
