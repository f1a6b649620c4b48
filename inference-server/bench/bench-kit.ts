// What several benches share: a small CNN version to classify with, and percentiles.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { saveModel } from '../src/ml/model-io.ts';
import type { ModelVersion } from '../src/schemas/index.ts';
import { registerModelFolder, type ApiClient } from '../test/helpers/api.ts';

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
