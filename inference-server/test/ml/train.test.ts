import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createArchitecture } from '../../src/ml/architectures/index.ts';
import { createInceptionV3 } from '../../src/ml/architectures/inceptionv3.ts';
import { augmentInto } from '../../src/ml/augment.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { enableScalelessBatchNormTraining } from '../../src/ml/batch-norm-training.ts';
import { loadModel, saveModel } from '../../src/ml/model-io.ts';
import { pixelsToInput } from '../../src/ml/preprocess.ts';
import { trainClassifier } from '../../src/ml/train.ts';
import type { TrainClassifierOptions, TrainingProgress } from '../../src/ml/train.ts';
import { TrainingSetError } from '../../src/ml/training-set.ts';
import type { LabeledFile } from '../../src/ml/training-set.ts';
import { Random } from '../../src/simulator/random.ts';
import { writeGradientPngs } from './synthetic-images.ts';

let workDir: string;
let images: LabeledFile[];

before(async () => {
  await selectBackend('wasm');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-train-'));
  // Gradients with a blue level that alternates by label: learnable, and quick to decode.
  images = (await writeGradientPngs(workDir, 20, 48, 48)).map((file, index) => ({
    path: file,
    label: index % 2,
  }));
});

after(() => rm(workDir, { recursive: true, force: true }));

function options(overrides: Partial<TrainClassifierOptions> = {}): TrainClassifierOptions {
  return {
    architecture: 'small-cnn',
    inputShape: [32, 32, 3],
    classes: ['Good', 'Bad'],
    train: images.slice(0, 16),
    validation: images.slice(16),
    hyperParameters: { epochs: 2, batchSize: 8 },
    seed: 7,
    ...overrides,
  };
}

describe('training sets that cannot train a classifier are refused with the reason', () => {
  const refused = (overrides: Partial<TrainClassifierOptions>, pattern: RegExp) =>
    assert.rejects(trainClassifier(options(overrides)), (error: Error) => {
      assert.ok(error instanceof TrainingSetError, `${error.name}: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    });

  test('too few images', () => refused({ train: images.slice(0, 4) }, /at least 10 training images, got 4/));
  test('one class only', () =>
    refused(
      { train: images.filter((image) => image.label === 0) },
      /at least two classes; all 10 training images are 'Good'/,
    ));
  test('a class with too few images', () =>
    refused(
      { train: [...images.filter((image) => image.label === 0), images[1] as LabeledFile] },
      /at least 2 training images; too few of 'Bad' \(1\)/,
    ));
  test('a label outside the classes', () =>
    refused({ validation: [{ path: 'x.png', label: 2 }] }, /validation image x.png has label 2/));
  test('no validation images', () => refused({ validation: [] }, /validation images/));
  test('bad hyper-parameters', () =>
    assert.rejects(
      trainClassifier(options({ hyperParameters: { epochs: 0, batchSize: 1.5 } })),
      /epochs must be a whole number ≥ 1, got 0; batchSize must be a whole number ≥ 1, got 1.5/,
    ));
});

test('training reports every step and epoch, and leaves only the model it returns', async () => {
  const progress: TrainingProgress[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const result = await trainClassifier(options({ onProgress: (report) => progress.push(report) }));
  assert.equal(result.status, 'completed');
  assert.equal(result.steps, 4);
  assert.equal(result.epochsRun, 2);
  assert.deepEqual(
    progress.map(({ phase, epoch, step, steps }) => `${phase} ${epoch}:${step}/${steps}`),
    ['step 1:1/2', 'step 1:2/2', 'epoch 1:2/2', 'step 2:1/2', 'step 2:2/2', 'epoch 2:2/2'],
  );
  const last = progress.at(-1);
  assert.ok(last && last.valLoss !== undefined && last.valAccuracy !== undefined);
  assert.equal(last.etaSeconds, 0);
  assert.ok(progress.every((report) => Number.isFinite(report.loss) && report.accuracy >= 0));
  assert.equal(result.history.valLoss.length, 2);
  assert.equal(result.validationProbabilities.length, 4);
  const modelTensors = result.model.weights.length;
  assert.equal(tf.memory().numTensors, tensorsBefore + modelTensors);
  result.model.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('the same seed trains the same model; another seed another', async () => {
  const weightsOf = async (seed: number): Promise<{ history: number[]; weights: Float32Array[] }> => {
    const result = await trainClassifier(options({ seed }));
    assert.equal(result.status, 'completed');
    const weights = result.model.getWeights().map((weight) => weight.dataSync() as Float32Array);
    result.model.dispose();
    return { history: result.history.loss, weights };
  };
  const first = await weightsOf(3);
  assert.deepEqual(await weightsOf(3), first);
  assert.notDeepEqual((await weightsOf(4)).weights, first.weights);
});

describe('transfer learning from base weights', () => {
  let baseDir: string;
  const conv = ['conv1', 'conv2', 'conv3'];
  const weightsOf = (model: tf.LayersModel, names: string[]) =>
    names.map((name) =>
      model
        .getLayer(name)
        .getWeights()
        .map((weight) => Array.from(weight.dataSync())),
    );

  before(async () => {
    // A "base" of the same architecture with other weights and three classes: its classifier cannot be reused.
    const base = createArchitecture('small-cnn', { inputShape: [32, 32, 3], numClasses: 3, seed: 99 });
    baseDir = path.join(workDir, 'base');
    await saveModel(base, baseDir);
    base.dispose();
  });

  test('a frozen base keeps its weights while the new head learns', async () => {
    const base = await loadModel(baseDir);
    const progress: TrainingProgress[] = [];
    const result = await trainClassifier(
      options({ baseWeightsDir: baseDir, onProgress: (report) => progress.push(report) }),
    );
    assert.equal(result.status, 'completed');
    assert.deepEqual(weightsOf(result.model, [...conv, 'where']), weightsOf(base, [...conv, 'where']));
    assert.equal(result.epochsRun, 2);
    assert.ok(progress.every((report) => report.epochs === 2));
    assert.ok(conv.every((name) => !result.model.getLayer(name).trainable));
    const untrained = createArchitecture('small-cnn', { inputShape: [32, 32, 3], numClasses: 2, seed: 7 });
    assert.notDeepEqual(weightsOf(result.model, ['predictions']), weightsOf(untrained, ['predictions']));
    for (const model of [base, untrained, result.model]) model.dispose();
  });

  test('fine-tuning then trains the base too, for its own epochs', async () => {
    const progress: TrainingProgress[] = [];
    const result = await trainClassifier(
      options({
        baseWeightsDir: baseDir,
        hyperParameters: { epochs: 2, batchSize: 8, fineTuneEpochs: 2, patience: 5 },
        onProgress: (report) => progress.push(report),
      }),
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.epochsRun, 4);
    assert.equal(progress.at(-1)?.epochs, 4);
    // The returned model has the best epoch's weights, which may be from before fine-tuning: what must hold is
    // that fine-tuning unfroze the base.
    assert.ok(conv.every((name) => result.model.getLayer(name).trainable));
    result.model.dispose();
  });

  test('a base that fills every layer (the same classes) still trains its classifier', async () => {
    const sameClassesDir = path.join(workDir, 'same-classes');
    const sameClasses = createArchitecture('small-cnn', { inputShape: [32, 32, 3], numClasses: 2, seed: 98 });
    await saveModel(sameClasses, sameClassesDir);
    const result = await trainClassifier(options({ baseWeightsDir: sameClassesDir }));
    assert.equal(result.status, 'completed');
    assert.deepEqual(weightsOf(result.model, conv), weightsOf(sameClasses, conv));
    assert.notDeepEqual(weightsOf(result.model, ['predictions']), weightsOf(sameClasses, ['predictions']));
    sameClasses.dispose();
    result.model.dispose();
  });

  test('freezeBase: false trains every layer from the base weights at once', async () => {
    const base = await loadModel(baseDir);
    const result = await trainClassifier(
      options({ baseWeightsDir: baseDir, hyperParameters: { epochs: 2, batchSize: 8, freezeBase: false } }),
    );
    assert.equal(result.status, 'completed');
    assert.notDeepEqual(weightsOf(result.model, conv), weightsOf(base, conv));
    base.dispose();
    result.model.dispose();
  });
});

test('an aborted signal stops training between batches and resolves as cancelled', async () => {
  const cancellation = new AbortController();
  const tensorsBefore = tf.memory().numTensors;
  const result = await trainClassifier(
    options({
      hyperParameters: { epochs: 50, batchSize: 4 },
      signal: cancellation.signal,
      onProgress: () => cancellation.abort(),
    }),
  );
  assert.equal(result.status, 'cancelled');
  assert.equal(result.steps, 1);
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('InceptionV3 (batch normalisation without scale) gets a gradient for every weight on wasm', () => {
  const model = createInceptionV3({ inputShape: [75, 75, 3], numClasses: 2, seed: 1 });
  const tensorsBefore = tf.memory().numTensors;
  const disable = enableScalelessBatchNormTraining(model);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const finite = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const probabilities = model.apply(tf.randomUniform([2, 75, 75, 3], 0, 1, 'float32', 1), {
        training: true,
      }) as tf.Tensor;
      return tf.mean(
        tf.metrics.categoricalCrossentropy(tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2), probabilities),
      ) as tf.Scalar;
    }, variables);
    return Object.values(grads).map((gradient) => tf.all(tf.isFinite(gradient)).dataSync()[0]);
  });
  assert.equal(finite.length, variables.length);
  assert.ok(finite.every(Boolean));
  disable();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  model.dispose();
});

describe('augmentation', () => {
  const shape: [number, number, number] = [4, 4, 1];
  const pixels = Uint8Array.from({ length: 16 }, (_, index) => index * 16);

  test('without shift or brightness change it only scales bytes to [0, 1]', () => {
    const target = new Float32Array(20);
    augmentInto(target, 4, pixels, shape, new Random(1), { maxShift: 0, maxBrightness: 0 });
    assert.deepEqual(target.subarray(4), pixelsToInput(pixels));
    assert.deepEqual(Array.from(target.subarray(0, 4)), [0, 0, 0, 0]);
  });

  test('shifts by whole pixels with edges repeated, never flips, and keeps values in [0, 1]', () => {
    for (let seed = 0; seed < 20; seed++) {
      const target = new Float32Array(16);
      augmentInto(target, 0, pixels, shape, new Random(seed), { maxShift: 0.25, maxBrightness: 0.2 });
      assert.ok(target.every((value) => value >= 0 && value <= 1));
      // Values still rise left to right and top to bottom: a shift, not a flip.
      for (let row = 0; row < 4; row++) {
        for (let column = 1; column < 4; column++) {
          assert.ok((target[row * 4 + column] as number) >= (target[row * 4 + column - 1] as number));
        }
      }
    }
  });
});
