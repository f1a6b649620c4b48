import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createInceptionV3 } from '../../src/ml/architectures/inceptionv3.ts';
import { createArchitecture } from '../../src/ml/architectures/index.ts';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { createVgg16 } from '../../src/ml/architectures/vgg16.ts';
import { selectBackend } from '../../src/ml/backend.ts';

before(() => selectBackend('wasm'));

function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

test('the small CNN maps an image batch to class probabilities', () => {
  const model = createSmallCnn({ inputShape: [64, 64, 1], numClasses: 3, seed: 1 });
  const probabilities = tf.tidy(() => model.predict(tf.ones([2, 64, 64, 1])) as tf.Tensor);
  assert.deepEqual(probabilities.shape, [2, 3]);
  for (const row of probabilities.arraySync() as number[][]) {
    assert.ok(Math.abs(row.reduce((sum, p) => sum + p, 0) - 1) < 1e-5);
  }
  probabilities.dispose();
  model.dispose();
});

test('a seeded small CNN starts from the same weights every time, and another seed from others', () => {
  const [first, same, other] = [7, 7, 8].map((seed) =>
    createSmallCnn({ inputShape: [32, 32, 3], numClasses: 2, seed }),
  );
  assert.ok(first && same && other);
  assert.deepEqual(weightValues(same), weightValues(first));
  assert.notDeepEqual(weightValues(other), weightValues(first));
  const [conv1, conv2] = [first.getLayer('conv1'), first.getLayer('conv2')];
  assert.notDeepEqual(
    conv2.getWeights()[0]?.dataSync().slice(0, 10),
    conv1.getWeights()[0]?.dataSync().slice(0, 10),
    'each layer draws from its own seed',
  );
  for (const model of [first, same, other]) model.dispose();
});

test('InceptionV3 has the Keras topology: its layers, names and parameter count', () => {
  const model = createInceptionV3({ numClasses: 1000, seed: 3 });
  // keras.applications.InceptionV3(weights=None) reports 23,851,784 parameters and 94 convolutions.
  assert.equal(model.countParams(), 23_851_784);
  assert.equal(model.layers.filter((layer) => layer.getClassName() === 'Conv2D').length, 94);
  assert.deepEqual(model.inputs[0]?.shape, [null, 299, 299, 3]);
  assert.deepEqual(model.getLayer('mixed10').outputShape, [null, 8, 8, 2048]);
  assert.deepEqual(model.getLayer('mixed7').outputShape, [null, 17, 17, 768]);
  assert.ok(model.getLayer('conv2d_93') && model.getLayer('batch_normalization_93'));
  assert.deepEqual(model.outputs[0]?.shape, [null, 1000]);
  model.dispose();
});

test('InceptionV3 runs on a smaller input and refuses one below 75×75', () => {
  const model = createInceptionV3({ inputShape: [75, 75, 3], numClasses: 4 });
  const probabilities = tf.tidy(() => model.predict(tf.randomUniform([1, 75, 75, 3])) as tf.Tensor);
  assert.deepEqual(probabilities.shape, [1, 4]);
  probabilities.dispose();
  model.dispose();
  assert.throws(() => createInceptionV3({ inputShape: [74, 100, 3], numClasses: 4 }), /at least 75×75/);
});

test('VGG16 has the Keras topology: its layers, names and parameter count', () => {
  const model = createVgg16({ numClasses: 1000, seed: 3 });
  // keras.applications.VGG16(weights=None) reports 138,357,544 parameters and 13 convolutions.
  assert.equal(model.countParams(), 138_357_544);
  assert.equal(model.layers.filter((layer) => layer.getClassName() === 'Conv2D').length, 13);
  assert.deepEqual(model.inputs[0]?.shape, [null, 224, 224, 3]);
  assert.deepEqual(model.getLayer('block5_pool').outputShape, [null, 7, 7, 512]);
  assert.deepEqual(model.getLayer('fc2').outputShape, [null, 4096]);
  assert.deepEqual(model.outputs[0]?.shape, [null, 1000]);
  model.dispose();
});

test('VGG16 runs on a smaller input and refuses one below 32×32', () => {
  const model = createVgg16({ inputShape: [32, 32, 3], numClasses: 2, seed: 1 });
  const probabilities = tf.tidy(() => model.predict(tf.randomUniform([1, 32, 32, 3])) as tf.Tensor);
  assert.deepEqual(probabilities.shape, [1, 2]);
  probabilities.dispose();
  model.dispose();
  assert.throws(() => createVgg16({ inputShape: [31, 64, 3], numClasses: 2 }), /at least 32×32/);
});

test('createArchitecture builds each named architecture', () => {
  const names = { 'small-cnn': 'small_cnn', inceptionv3: 'inception_v3', vgg16: 'vgg16' } as const;
  for (const [architecture, modelName] of Object.entries(names)) {
    const model = createArchitecture(architecture as keyof typeof names, {
      inputShape: [75, 75, 3],
      numClasses: 2,
      seed: 1,
    });
    assert.equal(model.name, modelName);
    model.dispose();
  }
});
