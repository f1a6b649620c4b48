// Training speed: ms per step and images per second of the small CNN, batch 16, RGB, at 64², 128² and 224².
// Run: node --import tsx bench/train.ts [--backend wasm|auto|cpu|tensorflow|tensorflow-gpu] [--sizes 64,128,224]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { BackendPreference } from '../src/inference/messages.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { trainClassifier } from '../src/ml/train.ts';
import { writeGradientPngs } from '../test/ml/synthetic-images.ts';

const BATCH_SIZE = 16;
/** Four steps per epoch, two epochs: the second runs on decoded, cached images. */
const TRAINING_IMAGES = 64;
const EPOCHS = 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const { values: options } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, sizes: { type: 'string', default: '64,128,224' } },
});
const backend = await selectBackend(options.backend as BackendPreference);
const workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-bench-train-'));
try {
  const files = await writeGradientPngs(workDir, TRAINING_IMAGES + 8, 400, 300);
  const images = files.map((file, index) => ({ path: file, label: index % 2 }));
  const rows = [];
  for (const size of options.sizes.split(',').map(Number)) {
    // The time between consecutive step reports of an epoch is one step: image assembly, forward, backward, Adam.
    const stepTimes: number[] = [];
    let previous: { epoch: number; at: number } | undefined;
    const result = await trainClassifier({
      architecture: 'small-cnn',
      inputShape: [size, size, 3],
      classes: ['Good', 'Bad'],
      train: images.slice(0, TRAINING_IMAGES),
      validation: images.slice(TRAINING_IMAGES),
      hyperParameters: { epochs: EPOCHS, batchSize: BATCH_SIZE },
      seed: 1,
      onProgress: ({ phase, epoch }) => {
        if (phase !== 'step') return;
        const at = performance.now();
        if (previous?.epoch === epoch) stepTimes.push(at - previous.at);
        previous = { epoch, at };
      },
    });
    if (result.status === 'completed') result.model.dispose();
    const msPerStep = median(stepTimes);
    rows.push({
      input: `${size}×${size}×3`,
      batch: BATCH_SIZE,
      'steps timed': stepTimes.length,
      'ms/step': Math.round(msPerStep),
      'images/s': Number(((BATCH_SIZE * 1000) / msPerStep).toFixed(1)),
      'job s (incl. validation)': Number((result.durationMs / 1000).toFixed(1)),
    });
  }
  console.log(
    `Small CNN training on ${backend.name}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `load average ${os.loadavg()[0]?.toFixed(2)}. ms/step: median time of one Adam step on a batch.`,
  );
  console.table(rows);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
