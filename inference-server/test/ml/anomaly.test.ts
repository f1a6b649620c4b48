// The autoencoder on simulator data, with no label at all: its score separates each failure mode from good plots,
// its calibrated threshold keeps its false-alarm promise on held-out plots, and scoring leaks no tensor.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { calibrateThreshold } from '../../src/ml/anomaly/calibration.ts';
import { rocAuc } from '../../src/ml/anomaly/roc.ts';
import { trainAutoencoder, trimmedCount } from '../../src/ml/anomaly/train-autoencoder.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { loadBaseWeights, loadModel, saveModel } from '../../src/ml/model-io.ts';
import { Random } from '../../src/simulator/random.ts';
import { findPlotKind } from '../../src/simulator/index.ts';
import type { FailureModeName } from '../../src/simulator/index.ts';
import { aucPerMode, falseAlarms, scoreFiles, writePlots, writeRecentImages } from './anomaly-kit.ts';

const INPUT: [number, number, number] = [64, 64, 3];
const SEED = 13;
/**
 * The modes the score must separate (goal ROC AUC ≥ 0.95), per kind; the others are printed only. TOF_timing's empty
 * plot and dead region fall short at this training budget (see the README): its one thin peak is a few pixels wide at
 * 64², and an empty plot differs from a good one mostly in its y-axis labels, which differ in every plot anyway.
 */
const REQUIRED: Record<string, FailureModeName[]> = {
  FCAL_occupancy: ['dead-region', 'no-data', 'noise-burst'],
  TOF_timing: ['shifted-peak', 'noise-burst'],
};
/** A rate this test can measure: 500 held-out plots then hold about 20 false alarms (the bench measures 1e-3). */
const TARGET_RATE = 0.04;
const FAULTY_PER_MODE = 16;

let workDir: string;

before(async () => {
  await selectBackend('wasm');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-anomaly-'));
});

after(() => rm(workDir, { recursive: true, force: true }));

test('ROC AUC counts the pairs a score orders right, ties as half', () => {
  assert.equal(rocAuc([3, 4], [1, 2]), 1);
  assert.equal(rocAuc([1, 2], [3, 4]), 0);
  assert.equal(rocAuc([2], [2]), 0.5);
  assert.equal(rocAuc([2, 5], [1, 3]), 0.75);
  assert.throws(() => rocAuc([], [1]), /at least one positive/);
});

test('a trimmed batch leaves out its worst few, at least one, never all', () => {
  assert.equal(trimmedCount(16, 0.05), 1);
  assert.equal(trimmedCount(64, 0.05), 3);
  assert.equal(trimmedCount(16, 0), 0);
  assert.equal(trimmedCount(1, 0.05), 0);
  assert.equal(trimmedCount(4, 0.9), 3);
});

test('calibration: the empirical quantile with enough alarms, a Pareto tail for rarer rates', () => {
  // Unit-exponential scores: the score exceeded by a share p of them is ln(1 / p).
  const random = Random.derive(SEED, 'calibration');
  const scores = Array.from({ length: 20_000 }, () => -Math.log(1 - random.uniform()));
  const common = calibrateThreshold(scores, 0.01);
  assert.equal(common.method, 'empirical');
  assert.ok(Math.abs(common.threshold - Math.log(100)) < 0.15, `threshold ${common.threshold}`);
  const rare = calibrateThreshold(scores.slice(0, 2000), 1e-4);
  assert.equal(rare.method, 'pareto-tail');
  assert.equal(rare.images, 2000);
  assert.ok(Math.abs(rare.threshold - Math.log(1e4)) < 0.8, `threshold ${rare.threshold} for ln 1e4 = 9.2`);
  assert.throws(() => calibrateThreshold(scores.slice(0, 40)), /at least 50 recent images/);
  assert.throws(() => calibrateThreshold(scores, 0), /between 0 and 1/);
});

for (const [kind, required] of Object.entries(REQUIRED)) {
  describe(`an autoencoder of ${kind}, trained on unlabeled recent plots of which a few are faulty`, () => {
    let model: tf.LayersModel;
    let modelDir: string;
    let goodScores: number[];

    before(async () => {
      const dir = await mkdtemp(path.join(workDir, `${kind}-`));
      // 64 recent plots, 3 of them faulty and nobody knows which: the trimmed loss leaves out the worst of a batch.
      const recent = await writeRecentImages(dir, { kind, seed: SEED, firstRun: 1, count: 64, faulty: 3 });
      const trained = await trainAutoencoder({
        inputShape: INPUT,
        images: recent,
        parameters: { epochs: 16, batchSize: 16, learningRate: 3e-3 },
        seed: SEED,
      });
      assert.equal(trained.status, 'completed');
      // Saved and loaded again, as the server serves it: the usual error travels in model.json.
      modelDir = path.join(dir, 'model');
      await saveModel(trained.model, modelDir);
      trained.model.dispose();
      model = await loadModel(modelDir);
      const good = await writePlots(dir, { kind, seed: SEED, firstRun: 5000, count: 64 });
      goodScores = (await scoreFiles(model, good, INPUT)).scores;
    });

    after(() => model.dispose());

    test("a small CNN of the same input starts from its encoder (baseWeights: the conv blocks' weights)", async () => {
      const classifier = createSmallCnn({ inputShape: INPUT, numClasses: 2, seed: 1 });
      try {
        const report = await loadBaseWeights(classifier, modelDir);
        assert.deepEqual(report.copied, ['conv1', 'conv2', 'conv3']);
        const [kernel] = classifier.getLayer('conv1').getWeights();
        const [learnt] = model.getLayer('conv1').getWeights();
        assert.deepEqual(kernel!.dataSync(), learnt!.dataSync());
      } finally {
        classifier.dispose();
      }
    });

    test('its score separates each failure mode from good plots (ROC AUC)', async () => {
      const dir = await mkdtemp(path.join(workDir, `${kind}-faults-`));
      const modes = findPlotKind(kind)!.failureModes;
      const faulty: Partial<Record<FailureModeName, number[]>> = {};
      for (const mode of modes) {
        const files = await writePlots(dir, {
          kind,
          seed: SEED,
          firstRun: 9000,
          count: FAULTY_PER_MODE,
          mode,
        });
        faulty[mode] = (await scoreFiles(model, files, INPUT)).scores;
      }
      const auc = aucPerMode(goodScores, faulty);
      for (const [mode, value] of Object.entries(auc)) {
        console.log(
          `${kind} ${mode}: ROC AUC ${value.toFixed(3)} (${FAULTY_PER_MODE} faulty, ${goodScores.length} good)`,
        );
      }
      for (const mode of required) assert.ok(auc[mode]! >= 0.95, `${kind} ${mode}: ROC AUC ${auc[mode]}`);
    });

    test('its calibrated threshold keeps the false-alarm rate within 2× of the target on held-out good plots', async () => {
      const dir = await mkdtemp(path.join(workDir, `${kind}-history-`));
      const history = await writePlots(dir, { kind, seed: SEED, firstRun: 20_000, count: 300 });
      const heldOut = await writePlots(dir, { kind, seed: SEED, firstRun: 30_000, count: 500 });
      const before = tf.memory().numTensors;
      const historyScores = (await scoreFiles(model, history, INPUT)).scores;
      const heldOutScores = (await scoreFiles(model, heldOut, INPUT)).scores;
      // 800 images scored: every tensor made for them is gone.
      assert.equal(tf.memory().numTensors, before);
      const result = falseAlarms(historyScores, heldOutScores, TARGET_RATE);
      console.log(
        `${kind}: target ${TARGET_RATE}, measured ${result.measuredRate} (${result.alarms} of ${result.heldOut} ` +
          `held-out good plots; threshold ${result.calibration.threshold.toFixed(3)} by ` +
          `${result.calibration.method} on ${result.calibration.images})`,
      );
      assert.ok(result.measuredRate <= 2 * TARGET_RATE && result.measuredRate >= TARGET_RATE / 2);
    });
  });
}
