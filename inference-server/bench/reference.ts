// The distance of a plot from its plot type's reference, per plot kind: ROC AUC per failure mode of the trained
// Siamese encoder's distance against the plain (pixel) distance, training time, scoring ms/image and tensor count.
// Run: node --import tsx bench/reference.ts [--kinds FCAL_occupancy,TOF_timing] [--good 120] [--per-mode 12]
//   [--epochs 20] [--held-out 200] [--faulty 30] [--size 64] [--backend wasm] [--labels-by-mode]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../src/inference/messages.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { trainSiamese } from '../src/ml/reference/train-siamese.ts';
import { findPlotKind, plotKinds } from '../src/simulator/index.ts';
import { aucPerMode } from '../test/ml/anomaly-kit.ts';
import { distancesToReference, writeLabeledSet, writeScoredSets } from '../test/ml/reference-kit.ts';

const { values: options } = parseArgs({
  options: {
    kinds: { type: 'string', default: plotKinds.map((kind) => kind.name).join(',') },
    good: { type: 'string', default: '120' },
    'per-mode': { type: 'string', default: '12' },
    epochs: { type: 'string', default: '20' },
    'held-out': { type: 'string', default: '200' },
    faulty: { type: 'string', default: '30' },
    size: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
    'labels-by-mode': { type: 'boolean', default: false },
  },
});
const number = (name: keyof typeof options) => Number(options[name]);
const size = number('size');
const inputShape: [number, number, number] = [size, size, 3];
const backend = await selectBackend(options.backend as BackendPreference);
const workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-bench-reference-'));
const seed = 31;
const aucRows: Record<string, string | number>[] = [];
const rows: Record<string, string | number>[] = [];

try {
  for (const kind of options.kinds.split(',')) {
    const modes = findPlotKind(kind)?.failureModes;
    if (!modes) throw new Error(`unknown plot kind ${kind}`);
    const dir = await mkdtemp(path.join(workDir, `${kind}-`));
    const labeled = await writeLabeledSet(dir, {
      kind,
      seed,
      good: number('good'),
      perMode: number('per-mode'),
      byMode: options['labels-by-mode'],
    });
    const trained = await trainSiamese({
      inputShape,
      images: labeled.images,
      parameters: { epochs: number('epochs'), batchSize: 16 },
      seed,
    });
    if (trained.status !== 'completed') throw new Error('training was cancelled');
    const { model } = trained;
    const sets = await writeScoredSets(dir, {
      kind,
      seed,
      heldOut: number('held-out'),
      faulty: number('faulty'),
    });
    const tensors = tf.memory().numTensors;
    const started = performance.now();
    const siamese = await distancesToReference(sets, inputShape, model);
    const siameseMs = (performance.now() - started) / sets.count;
    const plain = await distancesToReference(sets, inputShape);
    const leaked = tf.memory().numTensors - tensors;
    const siameseAuc = aucPerMode(siamese.good, siamese.faulty);
    const plainAuc = aucPerMode(plain.good, plain.faulty);
    for (const mode of modes) {
      aucRows.push({
        kind,
        mode,
        siamese: Number(siameseAuc[mode]?.toFixed(3)),
        plain: Number(plainAuc[mode]?.toFixed(3)),
      });
    }
    const mean = (values: Partial<Record<string, number>>) =>
      Object.values(values).reduce((sum: number, value) => sum + (value ?? 0), 0) / modes.length;
    rows.push({
      kind,
      'labeled plots': labeled.images.length,
      'train s': Number((trained.durationMs / 1000).toFixed(1)),
      'mean AUC siamese': Number(mean(siameseAuc).toFixed(3)),
      'mean AUC plain': Number(mean(plainAuc).toFixed(3)),
      'siamese ms/image': Number(siameseMs.toFixed(2)),
      'tensors after scoring': `${leaked} more after ${sets.count} images`,
    });
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

console.log(
  `Reference distance on ${backend.name}, ${size}×${size}×3: a Siamese encoder trained for ${options.epochs} epochs on ` +
    `${options.good} good and ${options['per-mode']} labeled plots per failure mode (classes: ` +
    `${options['labels-by-mode'] ? 'Good and one per failure mode' : 'Good, Bad, NoData, LowStats, Cosmic'}), against the plain distance (RMS difference of grey means on a 16×16 grid); reference: one good plot; ` +
    `${options['held-out']} held-out good and ${options.faulty} plots per mode. ${os.availableParallelism()} cores ` +
    `(${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg()[0]?.toFixed(2)}. ms/image includes decoding.`,
);
console.log('ROC AUC of the distance to the reference, each failure mode against held-out good plots:');
console.table(aucRows);
console.table(rows);
