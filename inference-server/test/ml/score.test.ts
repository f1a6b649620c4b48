import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import type { ModelKind } from '../../src/enums.ts';
import { modelShape } from '../../src/ml/model-shape.ts';
import { predictBatch } from '../../src/ml/predict.ts';
import { misfitOf, score } from '../../src/ml/score.ts';

const inputShape: [number, number, number] = [32, 32, 1];
const classes = ['Good', 'Bad', 'NoData'];
let model: tf.LayersModel;
let images: Float32Array[];

before(async () => {
  await selectBackend('wasm');
  model = createSmallCnn({ inputShape, numClasses: 3, seed: 5 });
  images = Array.from({ length: 4 }, (_, index) =>
    Float32Array.from({ length: 32 * 32 }, (__, pixel) => ((pixel + index * 31) % 89) / 89),
  );
});

after(() => model.dispose());

test('a classifier scores each image with its class probabilities, and leaves no tensor behind', () => {
  const expected = predictBatch(model, images, inputShape);
  const tensorsBefore = tf.memory().numTensors;
  assert.deepEqual(score('classifier', model, images, inputShape), expected);
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('an unknown kind is refused with the kinds there are', () => {
  const unknown = 'triplet' as ModelKind;
  assert.throws(
    () => score(unknown, model, images, inputShape),
    /Unknown model kind 'triplet': the kinds are classifier, autoencoder, siamese/,
  );
  assert.throws(() => misfitOf(unknown, modelShape(model), { inputShape, classes }), /Unknown model kind/);
});

test('an autoencoder must redraw its input: a classifier registered as one says why it does not fit', () => {
  assert.equal(
    misfitOf('autoencoder', modelShape(model), { inputShape, classes: [] }),
    'gives images of 3 channels, but it takes 1: an autoencoder redraws its input',
  );
  assert.equal(
    misfitOf('autoencoder', { inputShape, outputUnits: 1 }, { inputShape, classes: [] }),
    undefined,
  );
});

test("a model's shape: one image input of fixed size, and the units of its one output", () => {
  assert.deepEqual(modelShape(model), { inputShape: [32, 32, 1], outputUnits: 3 });
  const anySize = tf.input({ shape: [null, null, 1] });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(anySize) as tf.SymbolicTensor;
  const fullyConvolutional = tf.model({ inputs: anySize, outputs: pooled });
  assert.throws(
    () => modelShape(fullyConvolutional),
    /takes input \[null, null, 1\]; it needs an image of fixed/,
  );
  const twoOutputs = tf.model({ inputs: model.inputs, outputs: [model.outputs[0]!, model.outputs[0]!] });
  assert.throws(() => modelShape(twoOutputs), /has 1 inputs and 2 outputs; one of each is needed/);
});

test('a classifier fits a version of its input and one class per output, and says why another does not', () => {
  const shape = modelShape(model);
  assert.equal(misfitOf('classifier', shape, { inputShape, classes }), undefined);
  assert.equal(
    misfitOf('classifier', shape, { inputShape, classes: ['Good', 'Bad'] }),
    'gives 3 outputs, but it is registered with 2 classes',
  );
  assert.equal(
    misfitOf('classifier', shape, { inputShape: [64, 64, 1], classes }),
    'takes input [32, 32, 1], but it is registered with [64, 64, 1]',
  );
});
