// What several benches share: a server on a loopback port, a small CNN version to classify with, percentiles.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { saveModel } from '../src/ml/model-io.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { ModelVersion } from '../src/schemas/index.ts';
import { httpClient, registerModelFolder, type ApiClient } from '../test/helpers/api.ts';

/** The app on a loopback port with a data folder of its own: wasm, 2 workers, tokens off; `env` adds settings. */
export async function startBenchServer(name: string, env: Record<string, string> = {}) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `hydra-bench-${name}-`));
  const config = loadConfig({
    HYDRA_DATA_DIR: dataDir,
    HYDRA_BACKEND: 'wasm',
    HYDRA_WORKERS: '2',
    HYDRA_AUTH: 'false',
    HYDRA_LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await buildApp(config);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    config,
    api: httpClient(url),
    close: async () => {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small CNN (64×64 grayscale, Good/Bad/NoData, weights from `seed`) imported as a version of the plot type. */
export async function importSmallCnn(
  api: ApiClient,
  plotTypeId: number,
  { seed = 1, activate = true }: { seed?: number; activate?: boolean } = {},
): Promise<ModelVersion> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-model-'));
  try {
    const network = createSmallCnn({ inputShape: [64, 64, 1], numClasses: 3, seed });
    await saveModel(network, dir);
    network.dispose();
    return await registerModelFolder(api, 'none', plotTypeId, dir, {
      classes: 'Good,Bad,NoData',
      activate: String(activate),
      architecture: 'small-cnn',
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The value at quantile `q` (0..1) of ascending `sorted`. */
export const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * Median milliseconds of each call over `runs` rounds, after one untimed call each (the backend's one-off set-up).
 * The calls take turns within a round, so that a noisy moment on a shared machine weighs on both sides of the ratio.
 */
export function interleavedMediansMs(runs: number, calls: Array<() => unknown>): number[] {
  calls.forEach((call) => call());
  const times = calls.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    calls.forEach((call, index) => {
      const started = performance.now();
      call();
      times[index]?.push(performance.now() - started);
    });
  }
  return times.map((callTimes) => callTimes.sort((a, b) => a - b)[Math.floor(runs / 2)] as number);
}
