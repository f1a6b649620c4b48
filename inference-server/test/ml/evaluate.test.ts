import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONFIDENCE_BINS,
  chooseThresholds,
  evaluatePredictions,
  MAX_THRESHOLD,
} from '../../src/ml/evaluate.ts';

const classes = ['Good', 'Bad', 'NoData'];

// Six images: two Good (one mistaken for Bad), three Bad (one mistaken for Good), one NoData.
const labels = [0, 0, 1, 1, 1, 2];
const probabilities = [
  [0.9, 0.05, 0.05],
  [0.3, 0.65, 0.05],
  [0.05, 0.93, 0.02],
  [0.15, 0.8, 0.05],
  [0.55, 0.4, 0.05],
  [0.1, 0.1, 0.8],
];

test('the confusion matrix counts [true][predicted], with precision, recall and F1 per class', () => {
  const evaluation = evaluatePredictions(probabilities, labels, classes);
  assert.deepEqual(evaluation.confusionMatrix, [
    [1, 1, 0],
    [1, 2, 0],
    [0, 0, 1],
  ]);
  assert.equal(evaluation.images, 6);
  assert.equal(evaluation.accuracy, 4 / 6);
  assert.deepEqual(evaluation.perClass.Good, { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  assert.deepEqual(evaluation.perClass.Bad, { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
  assert.deepEqual(evaluation.perClass.NoData, { precision: 1, recall: 1, f1: 1, support: 1 });
  assert.equal(evaluation.macroF1, (0.5 + 2 / 3 + 1) / 3);
});

test('the enhanced matrix bins each cell by the confidence of the predicted class', () => {
  const { confidenceHistograms, confusionMatrix } = evaluatePredictions(probabilities, labels, classes);
  const bins = (...filled: number[]): number[] => {
    const histogram = new Array<number>(CONFIDENCE_BINS).fill(0);
    for (const bin of filled) histogram[bin] = (histogram[bin] as number) + 1;
    return histogram;
  };
  assert.deepEqual(confidenceHistograms[0], [bins(9), bins(6), bins()]);
  assert.deepEqual(confidenceHistograms[1], [bins(5), bins(9, 8), bins()]);
  assert.deepEqual(confidenceHistograms[2], [bins(), bins(), bins(8)]);
  confidenceHistograms.forEach((row, actual) =>
    row.forEach((histogram, predicted) =>
      assert.equal(
        histogram.reduce((sum, count) => sum + count, 0),
        confusionMatrix[actual]?.[predicted],
      ),
    ),
  );
  // A confidence of exactly 1 falls in the top bin.
  assert.deepEqual(evaluatePredictions([[0, 1, 0]], [1], classes).confidenceHistograms[1]?.[1], bins(9));
});

test('a class without images has no support and stays out of the macro F1', () => {
  const evaluation = evaluatePredictions(probabilities.slice(0, 5), labels.slice(0, 5), classes);
  assert.deepEqual(evaluation.perClass.NoData, { precision: 0, recall: 0, f1: 0, support: 0 });
  assert.equal(evaluation.macroF1, (0.5 + 2 / 3) / 2);
});

test('thresholds maximise the F1 of "predicted c with p ≥ t" on validation images', () => {
  const thresholds = chooseThresholds(probabilities, labels, classes);
  // Bad is predicted with 0.93 (Bad), 0.8 (Bad), 0.65 (Good): F1 is 0.5 at 0.93, 0.8 at 0.8, 0.67 at 0.65.
  assert.equal(thresholds.Bad, 0.8);
  // Good is predicted with 0.9 (Good) and 0.55 (Bad): F1 0.67 at 0.9, 0.5 at 0.55.
  assert.equal(thresholds.Good, 0.9);
  // NoData's one image is right at any threshold up to 0.8: the lowest keeps recall.
  assert.equal(thresholds.NoData, 0.8);
});

test('thresholds are capped, and a class absent from validation gets none', () => {
  const sure = [
    [0.001, 0.999, 0],
    [0.999, 0.001, 0],
  ];
  const thresholds = chooseThresholds(sure, [1, 0], classes);
  assert.equal(thresholds.Bad, MAX_THRESHOLD);
  assert.equal(thresholds.Good, MAX_THRESHOLD);
  assert.deepEqual(Object.keys(thresholds), ['Good', 'Bad']);
  // The one Bad image is taken for Good, and the one Bad verdict is wrong: no Bad verdict is to be confirmed.
  const wrong = [
    [0.4, 0.6, 0],
    [0.7, 0.3, 0],
  ];
  assert.equal(chooseThresholds(wrong, [0, 1], classes).Bad, MAX_THRESHOLD);
});

test('rows and labels must agree in number and width', () => {
  assert.throws(() => evaluatePredictions([[1, 0, 0]], [0, 1], classes), /1 probability rows for 2 labels/);
  assert.throws(() => chooseThresholds([[1, 0]], [0], classes), /Row 0 has 2 probabilities, not 3/);
});
