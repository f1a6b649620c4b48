import path from 'node:path';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { ImageStore } from '../../images/image-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    imageStore: ImageStore;
  }
}

export default fp(
  async (fastify, opts: { config: Config }) => {
    fastify.decorate('imageStore', new ImageStore(path.resolve(opts.config.HYDRA_DATA_DIR)));
  },
  { name: 'image-store' },
);
