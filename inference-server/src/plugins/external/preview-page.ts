import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { previewFolder, type Config } from '../../config.ts';
import { ServiceUnavailableError } from '../../errors.ts';

// What a built page holds: the page, its script and styles, Grafana's icons (its list of sources stays unserved).
const PAGE_FILES = /(^\/$|\.(html|js|css|svg)$)/;

/**
 * The preview page at / (HYDRA_PREVIEW): the panel's plot grid and viewer, bundled by `npm run build:preview` into
 * a folder served as it is. Not built: / says how to build it, and the server runs on.
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    if (!config.HYDRA_PREVIEW) return;
    const root = previewFolder(config);
    if (!existsSync(path.join(root, 'index.html'))) {
      const detail =
        'the preview page is not built: run `npm run build:preview` at the repository root (npm run demo does), ' +
        'or set HYDRA_PREVIEW_DIR to the folder of a built one, and start the server again';
      fastify.log.warn(detail);
      fastify.get('/', { schema: { hide: true } }, async () => {
        throw new ServiceUnavailableError(detail);
      });
      return;
    }
    await fastify.register(fastifyStatic, {
      root,
      wildcard: false,
      allowedPath: (pathName) => PAGE_FILES.test(pathName),
      // @fastify/swagger-ui serves its files with its own instance.
      decorateReply: false,
    });
    if (config.HYDRA_AUTH) {
      fastify.log.warn(
        'the preview page at / reads the API without a token: with HYDRA_AUTH=true it can only say so',
      );
    }
  },
  { name: 'preview-page' },
);
