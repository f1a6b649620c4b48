// How this package starts its worker_threads, from TypeScript sources (through tsx) or from a build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `name`.ts beside `moduleUrl` when it runs from TypeScript sources, `name`.js when it runs from a build. */
export function siblingScript(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${path.extname(fileURLToPath(moduleUrl))}`, moduleUrl);
}

/**
 * A TypeScript worker needs tsx. `--import tsx` does not work in a worker on Node 20 (tsx registers itself there
 * only from Node 22.22), and bin/hydra.js registers tsx in-process, which leaves nothing in process.execArgv to
 * inherit. So the worker preloads a module that calls tsx's register(), imported by absolute URL to work from any
 * cwd.
 */
export function execArgvFor(script: string | URL): string[] | undefined {
  const scriptPath = script instanceof URL ? fileURLToPath(script) : script;
  if (path.extname(scriptPath) !== '.ts') return undefined;
  const registerTsx = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(registerTsx)}`];
}
