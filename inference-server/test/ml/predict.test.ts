import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { predictBatch } from '../../src/ml/predict.ts';

const inputShape: [number, number, number] = [64, 64, 1];
const imageSize = 64 * 64;
let model: tf.LayersModel;

before(async () => {
  await selectBackend('wasm');
  model = createSmallCnn({ inputShape, numClasses: 3, seed: 11 });
});

after(() => model.dispose());

function syntheticImages(count: number): Float32Array[] {
  return Array.from({ length: count }, (_, index) =>
    Float32Array.from({ length: imageSize }, (__, pixel) => ((pixel * (index + 1)) % 97) / 97),
  );
}

test('predictBatch gives one probability row per image, in input order, as plain arrays', () => {
  const images = syntheticImages(3);
  const batch = predictBatch(model, images, inputShape);
  assert.equal(batch.length, 3);
  for (const row of batch) {
    assert.ok(Array.isArray(row) && row.length === 3);
    assert.ok(Math.abs(row.reduce((sum, p) => sum + p, 0) - 1) < 1e-5);
  }
  const [second] = predictBatch(model, [images[1]!], inputShape);
  assert.ok(second && second.every((p, index) => Math.abs(p - batch[1]![index]!) < 1e-5));
});

test('predictBatch leaves tf.memory().numTensors unchanged', () => {
  predictBatch(model, syntheticImages(1), inputShape); // lets the backend create its one-off tensors first
  const before = tf.memory().numTensors;
  predictBatch(model, syntheticImages(16), inputShape);
  assert.equal(tf.memory().numTensors, before);
});

test('tensor count and bytes stay flat over 2,000 predictions (125 batches of 16)', () => {
  const images = syntheticImages(16);
  predictBatch(model, images, inputShape);
  const before = tf.memory();
  for (let batch = 0; batch < 125; batch++) predictBatch(model, images, inputShape);
  const afterwards = tf.memory();
  assert.equal(afterwards.numTensors, before.numTensors);
  assert.equal(afterwards.numBytes, before.numBytes);
});

test('an image of the wrong size is refused without leaking tensors', () => {
  const before = tf.memory().numTensors;
  assert.throws(() => predictBatch(model, [new Float32Array(10)], inputShape), /Image 0 has 10 values/);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(predictBatch(model, [], inputShape), []);
});
