import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The text with the server's own absolute paths made relative to the data folder (or to `<install>`). */
    hidePaths(text: string): string;
  }
}

/** The folders the server runs from: this package, and the one its dependencies were installed in. */
function installFolders(): string[] {
  const packageFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const fastifyFolder = path.dirname(createRequire(import.meta.url).resolve('fastify/package.json'));
  const modulesFolder = fastifyFolder.slice(
    0,
    fastifyFolder.lastIndexOf(`${path.sep}node_modules${path.sep}`),
  );
  return [...new Set([packageFolder, modulesFolder])];
}

/** Matches a folder, with its separator when one follows, but not a longer name that starts alike. */
function folderPattern(folder: string): RegExp {
  const escaped = folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}(?:/|(?![\\w-]|\\.\\w))`, 'g');
}

/** Makes the server's absolute paths relative: to the data folder, else to `<install>`; longest folder first. */
export function pathHider(dataDir: string): (text: string) => string {
  const replacements = [
    { folder: path.resolve(dataDir), within: '', itself: '.' },
    ...installFolders().map((folder) => ({ folder, within: '<install>/', itself: '<install>' })),
  ]
    .sort((a, b) => b.folder.length - a.folder.length)
    .map(({ folder, within, itself }) => ({ pattern: folderPattern(folder), within, itself }));
  return (text) =>
    replacements.reduce(
      (hidden, { pattern, within, itself }) =>
        hidden.replace(pattern, (match) => (match.endsWith('/') ? within : itself)),
      text,
    );
}

/**
 * No response shows where the server is installed or keeps its data: error details, /status and training logs
 * quote paths from libraries (a backend that would not load, a file that could not be read). Logs keep them whole.
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const hidePaths = pathHider(opts.config.HYDRA_DATA_DIR);
    fastify.decorate('hidePaths', hidePaths);
    fastify.addHook('onSend', async (_request, _reply, payload) =>
      typeof payload === 'string' ? hidePaths(payload) : payload,
    );
  },
  { name: 'public-paths' },
);
