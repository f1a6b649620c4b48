import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletedTraining, TrainingProgress, TrainingRequest } from '../../src/inference/messages.ts';
import { startTraining, TrainingError, TrainingSetError } from '../../src/inference/training-thread.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { gradCam, upsampleGradCam } from '../../src/ml/gradcam.ts';
import { loadModel } from '../../src/ml/model-io.ts';
import { preprocessImage } from '../../src/ml/preprocess.ts';
import { GOOD_BAD, writeSimulatedPlots } from '../ml/simulated-plots.ts';
import type { SimulatedImage } from '../ml/simulated-plots.ts';

// CDC occupancy plots (800×600, simulator seed 11): Good, or Bad with a dead region or a hot channel (normal
// strength), 40 % Bad. Train, validation and test come from different runs. RGB: in grayscale the palette's pale
// inner rings and the white of a dead sector look alike, and the small CNN needed several times the epochs.
const SIMULATOR_SEED = 11;
const inputShape: [number, number, number] = [64, 64, 3];
let workDir: string;
let split: { train: SimulatedImage[]; validation: SimulatedImage[]; test: SimulatedImage[] };

function request(overrides: Partial<TrainingRequest> = {}): TrainingRequest {
  return {
    architecture: 'small-cnn',
    inputShape,
    classes: GOOD_BAD,
    split,
    // No augmentation: it regularises, and pays off only over more epochs than this test can afford.
    hyperParameters: { epochs: 12, batchSize: 16, learningRate: 2e-3, patience: 4, augment: false },
    seed: 5,
    outputDir: path.join(workDir, 'model'),
    backend: 'wasm',
    ...overrides,
  };
}

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-training-'));
  const plots = (firstRun: number, count: number) =>
    writeSimulatedPlots(workDir, {
      kind: 'CDC_occupancy',
      seed: SIMULATOR_SEED,
      firstRun,
      count,
      modes: ['dead-region', 'hot-channel'],
    });
  split = { train: await plots(1000, 400), validation: await plots(5000, 60), test: await plots(8000, 100) };
});

after(() => rm(workDir, { recursive: true, force: true }));

/** How much more of the map's heat lies inside the fault's box than the box's share of the image. */
function heatInsideBoxRatio(values: Float32Array, image: SimulatedImage): number {
  const box = image.bbox;
  assert.ok(box, `${image.path} has no bounding box`);
  let inside = 0;
  let total = 0;
  values.forEach((value, pixel) => {
    const x = pixel % image.width;
    const y = Math.floor(pixel / image.width);
    total += value;
    if (x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height) inside += value;
  });
  return inside / total / ((box.width * box.height) / (image.width * image.height));
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('the small CNN trained in a worker on 400 simulated plots (64×64 RGB)', { timeout: 300_000 }, () => {
  let result: CompletedTraining;
  const progress: TrainingProgress[] = [];

  before(async () => {
    const outcome = await startTraining(request(), { onProgress: (report) => progress.push(report) }).result;
    assert.equal(outcome.status, 'completed');
    result = outcome;
  });

  test('classifies the test plots with ≥ 95 % accuracy and F1 ≥ 0.9 on Bad', (t) => {
    const { test: metrics } = result.evaluation;
    t.diagnostic(
      `test accuracy ${metrics.accuracy}, Bad F1 ${metrics.perClass.Bad?.f1.toFixed(3)}, confusion ` +
        `${JSON.stringify(metrics.confusionMatrix)}, ${result.steps} steps, ${result.epochsRun} epochs ` +
        `(best ${result.bestEpoch}), ${(result.timings.totalMs / 1000).toFixed(1)} s, ` +
        `${result.timings.msPerStep.toFixed(0)} ms/step`,
    );
    assert.equal(metrics.images, 100);
    assert.ok(metrics.accuracy >= 0.95, `test accuracy ${metrics.accuracy}`);
    assert.ok((metrics.perClass.Bad?.f1 ?? 0) >= 0.9, `Bad F1 ${metrics.perClass.Bad?.f1}`);
  });

  test('reports progress, history, thresholds, timings and the backend', () => {
    const stepsPerEpoch = Math.ceil(400 / 16);
    assert.equal(progress.filter((report) => report.phase === 'step').length, result.steps);
    assert.equal(progress.filter((report) => report.phase === 'epoch').length, result.epochsRun);
    assert.ok(progress.every((report) => report.steps === stepsPerEpoch && report.epochs === 12));
    assert.equal(result.steps, result.epochsRun * stepsPerEpoch);
    for (const curve of Object.values(result.history)) assert.equal(curve.length, result.epochsRun);
    assert.deepEqual(Object.keys(result.thresholds), GOOD_BAD);
    assert.ok(Object.values(result.thresholds).every((threshold) => threshold > 0 && threshold <= 0.99));
    assert.deepEqual(result.backend, { name: 'wasm', skipped: [] });
    assert.equal(result.evaluation.validation.images, 60);
    assert.ok(result.timings.trainMs > 0 && result.timings.saveMs > 0 && result.timings.evaluateMs > 0);
  });

  test('Grad-CAM of the saved model puts the heat on dead regions (bounding boxes from the simulator)', async (t) => {
    await selectBackend('wasm');
    const model = await loadModel(result.modelDir);
    const ratios = { 'dead-region': [] as number[], 'hot-channel': [] as number[] };
    for (const image of split.test) {
      if (image.mode !== 'dead-region' && image.mode !== 'hot-channel') continue;
      const map = gradCam(model, await preprocessImage(image.path, inputShape), 1);
      ratios[image.mode].push(heatInsideBoxRatio(upsampleGradCam(map, image.width, image.height), image));
    }
    model.dispose();
    const dead = mean(ratios['dead-region']);
    const hot = mean(ratios['hot-channel']);
    t.diagnostic(
      `heat share inside the box / box share of the image: dead regions ${dead.toFixed(2)} (mean of ` +
        `${ratios['dead-region'].length}, min ${Math.min(...ratios['dead-region']).toFixed(2)}); hot channels ` +
        `${hot.toFixed(2)}`,
    );
    // 8.8 with seed 5 (min 4.05). Grad-CAM's channel-mean weighting gave 1.34 on this model: its position branch
    // reads the whole map, and the mean spread the heat (see gradCam).
    assert.ok(dead >= 4, `dead regions: ${dead}`);
    // A hot channel rescales the plot's colour axis, so the model sees the whole plot darken: its 7-pixel box
    // gets more than its share of heat, but the map is not confined to it.
    assert.ok(hot > 1.5, `hot channels: ${hot}`);
  });
});

test(
  'cancel stops a running job: it resolves as cancelled and saves nothing',
  { timeout: 120_000 },
  async () => {
    const outputDir = path.join(workDir, 'cancelled');
    const job = startTraining(request({ outputDir, hyperParameters: { epochs: 50, batchSize: 8 } }), {
      onProgress: () => job.cancel(),
    });
    const result = await job.result;
    assert.equal(result.status, 'cancelled');
    assert.ok(result.steps >= 1 && result.steps <= 3, `${result.steps} steps`);
    await assert.rejects(access(outputDir), /ENOENT/);
    job.cancel(); // once settled, a cancel does nothing
  },
);

test('a set with too few images or a single class is refused before a worker starts', () => {
  const few = { ...split, train: split.train.slice(0, 5) };
  assert.throws(() => startTraining(request({ split: few })), TrainingSetError);
  assert.throws(() => startTraining(request({ split: few })), /at least 10 training images, got 5/);
  const good = { ...split, train: split.train.filter((image) => image.label === 0) };
  assert.throws(() => startTraining(request({ split: good })), /all 240 training images are 'Good'/);
});

test('a job that fails in its worker rejects with the reason', { timeout: 120_000 }, async () => {
  const missing = path.join(workDir, 'missing.png');
  const train = [...split.train.slice(0, 11), { path: missing, label: 1 }];
  await assert.rejects(startTraining(request({ split: { ...split, train } })).result, (error: Error) => {
    assert.ok(error instanceof TrainingError);
    assert.match(error.message, new RegExp(`Training failed: Cannot decode image ${missing}`));
    return true;
  });
});

test('a training worker that dies rejects the job with a clear error', { timeout: 60_000 }, async () => {
  const job = startTraining(request(), {
    workerScript: new URL('./fixtures/crashing-training-thread-entry.ts', import.meta.url),
  });
  await assert.rejects(job.result, /The training worker exited with code 3 before finishing/);
});
