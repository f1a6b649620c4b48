import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { EarlyStopping } from '../../src/ml/early-stopping.ts';

/** A one-weight model whose weight is set to the epoch, so that the restored weights name the epoch they are from. */
function epochModel() {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false })] });
  return {
    model,
    at: (epoch: number) => model.layers[0]!.weights[0]!.write(tf.tensor2d([[epoch]])),
    weightEpoch: () => model.layers[0]!.weights[0]!.read().dataSync()[0] as number,
  };
}
const validation = (loss: number, accuracy: number) => ({ loss, accuracy, probabilities: [] });

test('a model that has not started learning is never stopped, however long its loss stays flat', () => {
  const { model, at } = epochModel();
  const stopping = new EarlyStopping(2, 0.5);
  for (let epoch = 1; epoch <= 30; epoch++) {
    at(epoch);
    assert.equal(stopping.update(model, epoch, validation(Math.log(2), 0.5)), false, `epoch ${epoch}`);
  }
  stopping.dispose();
  model.dispose();
});

test('once an epoch beats the trivial answer it is best whatever its loss, and patience runs from it', () => {
  const { model, at, weightEpoch } = epochModel();
  const stopping = new EarlyStopping(2, 0.5);
  const epochs = [
    validation(0.6, 0.5), // lowest loss, but no better than always answering the majority class
    validation(0.7, 0.5),
    validation(0.9, 0.75), // learning: best from here on
    validation(0.95, 0.5),
    validation(0.8, 0.5), // lower loss, but not learning: not better
  ];
  const stops = epochs.map((epochValidation, index) => {
    at(index + 1);
    return stopping.update(model, index + 1, epochValidation);
  });
  assert.deepEqual(stops, [false, false, false, false, true]);
  assert.equal(stopping.bestEpoch, 3);
  stopping.restoreBest(model);
  assert.equal(weightEpoch(), 3);
  stopping.dispose();
  model.dispose();
});

test('among learning epochs the lower validation loss is best', () => {
  const { model, at } = epochModel();
  const stopping = new EarlyStopping(3, 0.5);
  [validation(0.5, 0.8), validation(0.4, 0.7), validation(0.45, 0.9)].forEach((epochValidation, index) => {
    at(index + 1);
    stopping.update(model, index + 1, epochValidation);
  });
  assert.equal(stopping.bestEpoch, 2);
  stopping.dispose();
  model.dispose();
});
