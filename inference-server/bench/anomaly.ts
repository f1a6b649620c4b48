// The autoencoder per plot kind, with no label: training time, ROC AUC per failure mode, the false-alarm rate at the
// calibrated threshold on held-out good plots, and the scoring cost against the classifier's forward pass.
// Run: node --import tsx bench/anomaly.ts [--kinds FCAL_occupancy,TOF_timing] [--train 300] [--epochs 20]
//   [--faulty 30] [--history 1000] [--held-out 3000] [--target 0.001] [--size 64] [--backend wasm]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../src/inference/messages.ts';
import { anomalyScores } from '../src/ml/anomaly/reconstruction.ts';
import { trainAutoencoder } from '../src/ml/anomaly/train-autoencoder.ts';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { predictBatch } from '../src/ml/predict.ts';
import { preprocessImage } from '../src/ml/preprocess.ts';
import { findPlotKind, plotKinds } from '../src/simulator/index.ts';
import type { FailureModeName } from '../src/simulator/index.ts';
import {
  aucPerMode,
  falseAlarms,
  SCORE_BATCH,
  scoreFiles,
  writePlots,
  writeRecentImages,
} from '../test/ml/anomaly-kit.ts';
import { interleavedMediansMs } from './bench-kit.ts';

const { values: options } = parseArgs({
  options: {
    kinds: { type: 'string', default: plotKinds.map((kind) => kind.name).join(',') },
    train: { type: 'string', default: '300' },
    epochs: { type: 'string', default: '20' },
    faulty: { type: 'string', default: '30' },
    history: { type: 'string', default: '1000' },
    'held-out': { type: 'string', default: '3000' },
    target: { type: 'string', default: '0.001' },
    size: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const number = (name: keyof typeof options) => Number(options[name]);
const size = number('size');
const inputShape: [number, number, number] = [size, size, 3];
const backend = await selectBackend(options.backend as BackendPreference);
const workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-bench-anomaly-'));
const seed = 21;
const aucRows: Record<string, string | number>[] = [];
const rows: Record<string, string | number>[] = [];

try {
  for (const kind of options.kinds.split(',')) {
    const modes = findPlotKind(kind)?.failureModes;
    if (!modes) throw new Error(`unknown plot kind ${kind}`);
    const dir = await mkdtemp(path.join(workDir, `${kind}-`));
    const count = number('train');
    const recent = await writeRecentImages(dir, {
      kind,
      seed,
      firstRun: 1,
      count,
      faulty: Math.round(count * 0.03),
    });
    const trained = await trainAutoencoder({
      inputShape,
      images: recent,
      parameters: { epochs: number('epochs'), batchSize: 16, learningRate: 3e-3 },
      seed,
    });
    if (trained.status !== 'completed') throw new Error('training was cancelled');
    const { model } = trained;
    const tensors = tf.memory().numTensors;
    const history = await writePlots(dir, { kind, seed, firstRun: 100_000, count: number('history') });
    const heldOut = await writePlots(dir, { kind, seed, firstRun: 200_000, count: number('held-out') });
    const historyScores = (await scoreFiles(model, history, inputShape)).scores;
    const heldOutScores = (await scoreFiles(model, heldOut, inputShape)).scores;
    const faulty: Partial<Record<FailureModeName, number[]>> = {};
    for (const mode of modes) {
      const files = await writePlots(dir, { kind, seed, firstRun: 300_000, count: number('faulty'), mode });
      faulty[mode] = (await scoreFiles(model, files, inputShape)).scores;
    }
    const auc = aucPerMode(heldOutScores, faulty);
    aucRows.push({
      kind,
      ...Object.fromEntries(Object.entries(auc).map(([mode, value]) => [mode, value.toFixed(3)])),
    });
    const alarms = falseAlarms(historyScores, heldOutScores, number('target'));

    // The forward pass alone, a batch at a time, against the small CNN's on the same inputs.
    const inputs = await Promise.all(
      heldOut.slice(0, SCORE_BATCH).map((file) => preprocessImage(file, inputShape)),
    );
    const classifier = createSmallCnn({ inputShape, numClasses: 3, seed: 1 });
    const [scoreMs = NaN, forwardMs = NaN] = interleavedMediansMs(15, [
      () => anomalyScores(model, inputs, inputShape),
      () => predictBatch(classifier, inputs, inputShape),
    ]);
    classifier.dispose();
    const scored = history.length + heldOut.length + modes.length * number('faulty');
    rows.push({
      kind,
      'train s': Number((trained.durationMs / 1000).toFixed(1)),
      'train images': recent.length,
      'score ms/image': Number((scoreMs / inputs.length).toFixed(2)),
      'classifier ms/image': Number((forwardMs / inputs.length).toFixed(2)),
      'score / classifier': Number((scoreMs / forwardMs).toFixed(2)),
      target: alarms.calibration.targetRate,
      measured: Number(alarms.measuredRate.toFixed(5)),
      'alarms / held-out': `${alarms.alarms} / ${alarms.heldOut}`,
      calibration: `${alarms.calibration.method} on ${alarms.calibration.images}`,
      'tensors after scoring': `${tf.memory().numTensors - tensors} more after ${scored} images`,
    });
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

console.log(
  `Autoencoder on ${backend.name}, ${size}×${size}×3, trained on ${options.train} unlabeled plots per kind (3 % ` +
    `faulty) for ${options.epochs} epochs; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `load average ${os.loadavg()[0]?.toFixed(2)}. Score cost: forward pass and score of ${SCORE_BATCH} images, ` +
    'decoding excluded; goal ≤ 1.5× the small CNN.',
);
console.log('ROC AUC of the score, each failure mode against held-out good plots (goal ≥ 0.95):');
console.table(aucRows);
console.table(rows);
