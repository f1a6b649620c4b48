import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { maxGradientConfig } from '../../src/ml/kernels/max-gradient.ts';

before(() => selectBackend('wasm'));

/** Runs `compute` on a backend and returns its tensors' values; the backend is wasm again afterwards. */
function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Float32Array[] {
  tf.setBackend(backend);
  try {
    return tf.tidy(() => compute().map((tensor) => tensor.dataSync() as Float32Array));
  } finally {
    tf.setBackend('wasm');
  }
}

/** The largest difference between two arrays, relative to the expected values' scale (at least 1). */
function relativeDifference(expected: Float32Array | undefined, actual: Float32Array | undefined): number {
  assert.ok(expected && actual);
  assert.equal(actual.length, expected.length);
  const scale = expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 1);
  let largest = 0;
  expected.forEach((value, index) => {
    largest = Math.max(largest, Math.abs(value - (actual[index] as number)));
  });
  return largest / scale;
}

function waves(count: number, phase: number): Float32Array {
  return Float32Array.from({ length: count }, (_, index) => Math.sin(index * 1.7 + phase));
}

/** Gradients of Σ conv2d(x, filter)² with respect to x and the filter: dy depends on the output, so it is not flat. */
function convGradients(
  x: Float32Array,
  xShape: [number, number, number, number],
  filter: Float32Array,
  filterShape: [number, number, number, number],
  stride: number,
  padding: 'same' | 'valid',
): () => tf.Tensor[] {
  return () =>
    tf.grads((input, kernel) =>
      tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, stride, padding))),
    )([tf.tensor4d(x, xShape), tf.tensor4d(filter, filterShape)]);
}

test('conv2d gradients (filter and input) on wasm match the cpu kernels over strides, paddings and sizes', (t) => {
  const shapes: [number, number, number, number][] = [
    [2, 9, 9, 3],
    [3, 16, 12, 4],
    [1, 7, 10, 2],
    [4, 32, 32, 8],
  ];
  let largest = 0;
  let cases = 0;
  for (const xShape of shapes) {
    const [batch, height, width, channels] = xShape;
    for (const stride of [1, 2]) {
      for (const padding of ['same', 'valid'] as const) {
        for (const size of [1, 3, 5]) {
          const filterShape: [number, number, number, number] = [size, size, channels, 5];
          const compute = convGradients(
            waves(batch * height * width * channels, size),
            xShape,
            waves(size * size * channels * 5, stride),
            filterShape,
            stride,
            padding,
          );
          const [cpuDx, cpuDFilter] = on('cpu', compute);
          const [wasmDx, wasmDFilter] = on('wasm', compute);
          const difference = Math.max(
            relativeDifference(cpuDx, wasmDx),
            relativeDifference(cpuDFilter, wasmDFilter),
          );
          const name = `[${xShape.join(', ')}], ${size}×${size}, stride ${stride}, ${padding}`;
          assert.ok(difference < 1e-3, `${name}: relative difference ${difference}`);
          largest = Math.max(largest, difference);
          cases++;
        }
      }
    }
  }
  t.diagnostic(`${cases} cases; largest relative difference from cpu: ${largest.toExponential(2)}`);
});

test('the kernels free their intermediate buffers', () => {
  const compute = convGradients(
    waves(2 * 16 * 16 * 4, 0),
    [2, 16, 16, 4],
    waves(3 * 3 * 4 * 8, 1),
    [3, 3, 4, 8],
    2,
    'same',
  );
  on('wasm', compute);
  const buffers = tf.backend().numDataIds();
  const tensors = tf.memory().numTensors;
  for (let round = 0; round < 20; round++) on('wasm', compute);
  assert.equal(tf.backend().numDataIds(), buffers);
  assert.equal(tf.memory().numTensors, tensors);
});

test('every weight gradient of the small CNN in training mode matches the cpu backend', () => {
  const inputs = Float32Array.from(
    { length: 4 * 32 * 32 * 3 },
    (_, index) => (Math.sin(index * 0.37) + 1) / 2,
  );
  const gradientsOn = (backend: 'cpu' | 'wasm'): Float32Array[] => {
    tf.setBackend(backend);
    const model = createSmallCnn({ inputShape: [32, 32, 3], numClasses: 2, seed: 3 });
    try {
      return on(backend, () => {
        const targets = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
        const images = tf.tensor4d(inputs, [4, 32, 32, 3]);
        const { grads } = tf.variableGrads(
          () =>
            tf.mean(
              tf.metrics.categoricalCrossentropy(
                targets,
                model.apply(images, { training: true }) as tf.Tensor,
              ),
            ) as tf.Scalar,
          model.trainableWeights.map((weight) => weight.read() as tf.Variable),
        );
        return Object.values(grads);
      });
    } finally {
      model.dispose();
    }
  };
  const cpu = gradientsOn('cpu');
  const wasm = gradientsOn('wasm');
  // A kernel and a bias for each of conv1–3, where and predictions.
  assert.equal(wasm.length, 10);
  cpu.forEach((expected, index) => assert.ok(relativeDifference(expected, wasm[index]) < 1e-4));
});

test("the Max gradient matches tfjs's own mask of the maxima over axes, kept dims, ties and near-ties", () => {
  assert.equal(tf.getGradient(tf.Max), maxGradientConfig, 'the wasm set-up registers it');
  const cases: Array<{ shape: number[]; axes: number[]; keepDims: boolean }> = [
    { shape: [2, 8, 8, 5], axes: [1, 2], keepDims: false },
    { shape: [2, 8, 8, 5], axes: [1, 2], keepDims: true },
    { shape: [3, 7], axes: [1], keepDims: false },
    { shape: [4, 6, 3], axes: [0, 2], keepDims: true },
  ];
  for (const { shape, axes, keepDims } of cases) {
    const size = shape.reduce((product, length) => product * length, 1);
    // Values rounded to a few small levels, so that many rows hold their maximum more than once, and every seventh
    // one 2e-8 below its level: a near-tie is not a maximum (wasm's Sign takes such a difference for 0).
    const x = tf.tensor(
      Float32Array.from(
        waves(size, 0.3),
        (value, index) => Math.round(value * 2) * 1e-6 - (index % 7 === 0 ? 2e-8 : 0),
      ),
      shape,
    );
    const [ours, reference] = tf.tidy(() => {
      const max = tf.max(x, axes, keepDims);
      const weights = tf.add(tf.range(0, max.size).reshape(max.shape), 1);
      const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.max(input, axes, keepDims), weights)))(x);
      const keptShape = tf.backend_util.expandShapeToKeepDim(tf.max(x, axes).shape, axes);
      const mask = tf.cast(tf.equal(x, tf.reshape(max, keptShape)), 'float32');
      return [dx.dataSync(), tf.mul(tf.reshape(weights, keptShape), mask).dataSync()];
    });
    x.dispose();
    assert.deepEqual(ours, reference, `[${shape.join(', ')}] over axes ${axes.join(', ')}`);
    assert.ok(reference.filter((value) => value > 0).length > size / 10, 'the case has maxima to find');
  }
});
