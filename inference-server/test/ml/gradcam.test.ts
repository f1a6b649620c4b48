import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { createInceptionV3 } from '../../src/ml/architectures/inceptionv3.ts';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { gradCam, jet, renderGradCamOverlay, upsampleGradCam } from '../../src/ml/gradcam.ts';
import { loadModel, saveModel } from '../../src/ml/model-io.ts';
import { ImageDecodeError } from '../../src/ml/preprocess.ts';
import { gradientPng } from './synthetic-images.ts';

let workDir: string;

before(async () => {
  await selectBackend('wasm');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-gradcam-'));
});

after(() => rm(workDir, { recursive: true, force: true }));

function image(height: number, width: number, channels: number, phase = 0): Float32Array {
  return Float32Array.from(
    { length: height * width * channels },
    (_, index) => (Math.sin(index * 0.7 + phase) + 1) / 2,
  );
}

function assertNormalised(values: Float32Array): void {
  assert.ok(values.every((value) => value >= 0 && value <= 1));
  assert.equal(Math.max(...values), 1);
}

test('with global average pooling and a dense softmax head, Grad-CAM is the class activation map', () => {
  // For GAP + dense, the logit's gradient per channel is w[k, c] / cells, so the map is ReLU(Σ_k w[k, c] A_k).
  const input = tf.input({ shape: [12, 12, 2] });
  const features = tf.layers
    .conv2d({
      name: 'features',
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(features);
  const output = tf.layers
    .dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })
    .apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const pixels = image(12, 12, 2);
  let hotCells = 0;
  for (const classIndex of [0, 1, 2]) {
    const expected = tf.tidy(() => {
      const activation = (
        tf
          .model({ inputs: input, outputs: features })
          .predict(tf.tensor4d(pixels, [1, 12, 12, 2])) as tf.Tensor
      ).squeeze([0]);
      const classWeights = tf
        .slice(model.layers.at(-1)?.getWeights()[0] as tf.Tensor2D, [0, classIndex], [4, 1])
        .reshape([4]);
      const map = tf.relu(tf.sum(tf.mul(activation, classWeights), -1));
      return tf.div(map, tf.maximum(tf.max(map), 1e-12)).dataSync() as Float32Array;
    });
    const map = gradCam(model, pixels, classIndex);
    assert.deepEqual([map.width, map.height], [10, 10]);
    map.values.forEach((value, index) => assert.ok(Math.abs(value - (expected[index] as number)) < 1e-5));
    hotCells += map.values.filter((value) => value > 0).length;
  }
  assert.ok(hotCells > 10, 'the maps compared are not all zero');
  model.dispose();
});

test('Grad-CAM works on a functional model saved and loaded as a user would import it', async () => {
  // Seeded, so that the map is the same (and not all zero) on every run.
  const seeded = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }) });
  const input = tf.input({ shape: [32, 32, 3], name: 'plot' });
  const narrow = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded(31) })
    .apply(input);
  const wide = tf.layers
    .conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', ...seeded(32) })
    .apply(input);
  const merged = tf.layers.concatenate({ name: 'merged' }).apply([narrow, wide] as tf.SymbolicTensor[]);
  const pooled = tf.layers.maxPooling2d({ poolSize: 2 }).apply(merged);
  // A branch from before the cut that the head reads too: it is computed once and held fixed.
  const shortcut = tf.layers.globalMaxPooling2d({}).apply(narrow);
  const features = tf.layers
    .concatenate()
    .apply([tf.layers.globalAveragePooling2d({}).apply(pooled), shortcut] as tf.SymbolicTensor[]);
  const output = tf.layers
    .dense({ units: 2, activation: 'softmax', ...seeded(33) })
    .apply(features) as tf.SymbolicTensor;
  const built = tf.model({ inputs: input, outputs: output });
  await saveModel(built, path.join(workDir, 'functional'));
  built.dispose();
  const model = await loadModel(path.join(workDir, 'functional'));
  const map = gradCam(model, image(32, 32, 3), 1);
  assert.deepEqual([map.width, map.height], [16, 16]);
  assertNormalised(map.values);
  model.dispose();
});

test('Grad-CAM on InceptionV3 (random weights) explains mixed10, 8×8', () => {
  const model = createInceptionV3({ numClasses: 3, seed: 5 });
  const map = gradCam(model, image(299, 299, 3), 2);
  assert.deepEqual([map.width, map.height], [8, 8]);
  assertNormalised(map.values);
  model.dispose();
});

test('500 Grad-CAMs of the small CNN leave the tensor count unchanged', () => {
  const model = createSmallCnn({ inputShape: [64, 64, 3], numClasses: 2, seed: 2 });
  const pixels = image(64, 64, 3);
  gradCam(model, pixels, 0);
  const before = tf.memory();
  for (let round = 0; round < 500; round++) gradCam(model, pixels, round % 2);
  assert.equal(tf.memory().numTensors, before.numTensors);
  assert.equal(tf.memory().numBytes, before.numBytes);
  model.dispose();
});

test('a class out of range, an image of the wrong size, or a model with no 4-D layer is refused', () => {
  const model = createSmallCnn({ inputShape: [16, 16, 1], numClasses: 2 });
  assert.throws(() => gradCam(model, image(16, 16, 1), 2), /Class index 2 is not one of the 2 classes/);
  assert.throws(() => gradCam(model, image(8, 8, 1), 0), /has 64 values; \[16, 16, 1\] needs 256/);
  const dense = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: 'softmax' })],
  });
  assert.throws(() => gradCam(dense, new Float32Array(4), 0), /no layer with a 4-D/);
  model.dispose();
  dense.dispose();
});

test('upsampling is bilinear between cell centres and holds the edges', () => {
  const map = { width: 2, height: 1, values: Float32Array.from([0, 1]) };
  assert.deepEqual(Array.from(upsampleGradCam(map, 4, 1)), [0, 0.25, 0.75, 1]);
  const flat = { width: 3, height: 2, values: new Float32Array(6).fill(0.5) };
  assert.ok(upsampleGradCam(flat, 7, 5).every((value) => value === 0.5));
});

test('the overlay is the image with jet colours where the map is hot, and untouched where it is cold', async () => {
  assert.deepEqual(jet(0), [0, 0, 128]);
  assert.deepEqual(jet(0.5), [128, 255, 128]);
  assert.deepEqual(jet(1), [128, 0, 0]);
  const png = await gradientPng(80, 60, 200);
  const map = { width: 2, height: 2, values: Float32Array.from([1, 0, 0, 0]) };
  const overlay = await renderGradCamOverlay(png, map, { opacity: 1 });
  const { data, info } = await sharp(overlay).raw().toBuffer({ resolveWithObject: true });
  const original = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [80, 60]);
  const rgbAt = (buffer: Buffer, channels: number, x: number, y: number): number[] =>
    Array.from(buffer.subarray((y * 80 + x) * channels, (y * 80 + x) * channels + 3));
  assert.deepEqual(rgbAt(data, info.channels, 0, 0), jet(1));
  assert.deepEqual(rgbAt(data, info.channels, 79, 59), rgbAt(original.data, original.info.channels, 79, 59));
  await assert.rejects(renderGradCamOverlay(Buffer.from('not an image'), map), ImageDecodeError);
});
