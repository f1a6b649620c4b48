// A real inference server for plugin tests: `hydra serve` in a child process on a temp folder, with a token per
// role, seeded with simulator plots. Built on the server's own test helpers, so it starts exactly as they do.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { ImageUploadResult, PlotList, PlotTypeInfo } from '@hydra/inference-server/api';

// The server's own helpers, loaded at run time: the plugins' type check covers the API types, not the server's
// sources, which it would check under browser compiler settings.
interface ApiClient {
  inject(options: { method: string; url: string; headers?: Record<string, string>; payload?: object }): Promise<{
    statusCode: number;
    body: string;
    json<T>(): T;
  }>;
}
const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../inference-server');
const serverFile = (file: string) => pathToFileURL(path.join(serverRoot, file)).href;
const serverHelpers = async () => ({
  ...((await import(/* @vite-ignore */ serverFile('test/helpers/build-app.ts'))) as {
    prepareEnvironment(
      t: { after(fn: () => unknown): void },
      engine: 'sqlite',
      env: Record<string, string>
    ): Promise<{ env: Record<string, string>; tokens: Record<Role, string>; grafanaToken: string }>;
  }),
  ...((await import(/* @vite-ignore */ serverFile('test/helpers/api.ts'))) as {
    httpClient(url: string): ApiClient;
    registerBrightnessModel(api: ApiClient, token: string, plotTypeId: number): Promise<unknown>;
  }),
  ...((await import(/* @vite-ignore */ serverFile('test/helpers/server-process.ts'))) as {
    ServerProcess: { start(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> };
  }),
  ...((await import(/* @vite-ignore */ serverFile('test/helpers/services.ts'))) as {
    waitFor<T>(probe: () => Promise<T | undefined>, options: { timeoutMs: number; what: string }): Promise<T>;
  }),
  ...((await import(/* @vite-ignore */ serverFile('src/simulator/index.ts'))) as {
    plotKinds: Array<{ name: string; title: string }>;
    simulatePlot(options: {
      kind: string;
      run: number;
      seed: number;
      time: Date;
      fault?: SimulatedFault;
    }): Promise<{ png: Buffer }>;
  }),
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** A failure mode of the simulator (inference-server/src/simulator/failure-modes.ts), drawn into the plot. */
export interface SimulatedFault {
  mode: 'dead-region' | 'hot-channel' | 'no-data' | (string & {});
  strength: 'normal' | 'subtle';
}

export type Role = 'viewer' | 'labeler' | 'expert' | 'admin' | 'ingest';

/** What tests need to reach the server; plain data, so vitest can hand it from global setup to test files. */
export interface HydraServerInfo {
  url: string;
  tokens: Record<Role, string>;
  /** A labeler token for Grafana's proxy (`--grafana-proxy`): the user the proxy names in X-Grafana-User acts. */
  grafanaToken: string;
  deployment: string;
}

export interface HydraServer extends HydraServerInfo {
  api: ApiClient;
  stop(): Promise<void>;
}

/** `hydra serve` on a fresh environment; `env` adds or overrides HYDRA_* settings (e.g. HYDRA_AUTH=false). */
export async function startHydraServer(deployment = 'halld', env: Record<string, string> = {}): Promise<HydraServer> {
  const { prepareEnvironment, ServerProcess, httpClient } = await serverHelpers();
  const cleanups: Array<() => unknown> = [];
  const environment = await prepareEnvironment({ after: (fn) => void cleanups.push(fn) }, 'sqlite', {
    HYDRA_INFLUX_URL: '',
    ...env,
  });
  const server = await ServerProcess.start(environment.env);
  return {
    url: server.url,
    tokens: environment.tokens,
    grafanaToken: environment.grafanaToken,
    deployment,
    api: httpClient(server.url),
    async stop() {
      await server.stop();
      for (const cleanup of cleanups) {
        await cleanup();
      }
    },
  };
}

/** Options for seeding a deployment with the simulator's plot kinds. */
export interface SeedOptions {
  /** Plot kinds that get the brightness model; the others stay without a model. */
  withModel: number;
  run: number;
  /** A plot type registered with no image at all. */
  emptyPlotType?: string;
}

async function call(server: HydraServerInfo & { api: ApiClient }, method: string, url: string, payload: object) {
  const response = await server.api.inject({
    method: method as 'POST',
    url,
    headers: auth(server.tokens.admin),
    payload,
  });
  if (response.statusCode >= 300) {
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  }
  return response.json<PlotTypeInfo>();
}

/**
 * The deployment with one plot type per simulator kind (group = detector), the brightness model on the first
 * `withModel` of them, and one simulator plot each. Returns the plot types.
 */
export async function seedDeployment(server: HydraServer, options: SeedOptions): Promise<PlotTypeInfo[]> {
  const { plotKinds, registerBrightnessModel } = await serverHelpers();
  await call(server, 'POST', '/api/v1/deployments', { name: server.deployment, title: 'Hall D (simulated)' });
  const plotTypes: PlotTypeInfo[] = [];
  for (const [index, kind] of plotKinds.entries()) {
    const plotType = await call(server, 'POST', '/api/v1/plot-types', {
      deployment: server.deployment,
      name: kind.name,
      group: kind.name.split('_')[0],
      title: kind.title,
    });
    if (index < options.withModel) {
      await registerBrightnessModel(server.api, server.tokens.admin, plotType.id);
    }
    plotTypes.push(plotType);
  }
  if (options.emptyPlotType) {
    plotTypes.push(
      await call(server, 'POST', '/api/v1/plot-types', {
        deployment: server.deployment,
        name: options.emptyPlotType,
        group: 'other',
      })
    );
  }
  for (const [index, kind] of plotKinds.entries()) {
    await postPlot(server, { plotType: kind.name, run: options.run, seed: index + 1 });
  }
  await waitForPlots(server, (list) => list.items.every((p) => p.state !== 'pending'));
  return plotTypes;
}

/**
 * A deployment of its own on the shared test server, seeded as `seedDeployment` does, from a test file (over HTTP):
 * for a test whose figures other tests' plots must not change. Returns the server as that deployment's.
 */
export async function seedOwnDeployment(
  info: HydraServerInfo,
  deployment: string,
  options: SeedOptions
): Promise<{ server: HydraServer; plotTypes: PlotTypeInfo[] }> {
  const { httpClient } = await serverHelpers();
  const server: HydraServer = { ...info, deployment, api: httpClient(info.url), stop: async () => {} };
  return { server, plotTypes: await seedDeployment(server, options) };
}

/**
 * Uploads a simulator plot of the plot type's kind. `bad` darkens it, which the brightness model calls Bad
 * (it judges brightness, not physics); `brightness` scales its pixels by another factor (0.15 is `bad`), which near
 * 0.6 gives the model's verdicts every confidence. `fault` draws one of the simulator's failure modes into the plot
 * (the brightness model does not see it: darken the plot too for a Bad verdict).
 */
export async function postPlot(
  server: HydraServer,
  {
    plotType,
    run,
    seed,
    bad = false,
    brightness = bad ? 0.15 : 1,
    fault,
  }: { plotType: string; run: number; seed: number; bad?: boolean; brightness?: number; fault?: SimulatedFault }
): Promise<ImageUploadResult> {
  const { simulatePlot } = await serverHelpers();
  const plot = await simulatePlot({ kind: plotType, run, seed, time: new Date(), fault });
  const png = brightness === 1 ? plot.png : await sharp(plot.png).linear(brightness, 0).png().toBuffer();
  const { body, contentType } = multipart({ deployment: server.deployment, plotType, run: String(run) }, png);
  const response = await fetch(`${server.url}/api/v1/images`, {
    method: 'POST',
    headers: { ...auth(server.tokens.ingest), 'content-type': contentType },
    body: body as unknown as BodyInit,
  });
  if (!response.ok) {
    throw new Error(`upload: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as ImageUploadResult;
}

/**
 * A multipart/form-data body built by hand: test files run under jsdom, whose FormData and Blob Node's fetch
 * cannot send.
 */
function multipart(fields: Record<string, string>, png: Buffer): { body: Uint8Array; contentType: string } {
  const boundary = `hydra-${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  );
  const fileHeader = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="plot.png"\r\ncontent-type: image/png\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(parts.join('') + fileHeader), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body: new Uint8Array(body), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Waits until GET /plots satisfies the predicate, and returns that list. */
export async function waitForPlots(server: HydraServer, predicate: (list: PlotList) => boolean, timeoutMs = 30_000) {
  const { waitFor } = await serverHelpers();
  return waitFor(
    async () => {
      const response = await server.api.inject({
        method: 'GET',
        url: `/api/v1/plots?deployment=${server.deployment}`,
        headers: auth(server.tokens.viewer),
      });
      const list = response.json<PlotList>();
      return response.statusCode === 200 && predicate(list) ? list : undefined;
    },
    { timeoutMs, what: 'the plots to be classified' }
  );
}
