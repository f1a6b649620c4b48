import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  precisionRecallCurve,
  reliabilityDiagram,
  thresholdMetrics,
} from '../../src/ml/threshold-metrics.ts';

const CLASSES = ['Good', 'Bad'];
// Six images, as (p(Good), p(Bad)) and their true class:
//   0: 0.9 Good   1: 0.7 Good   2: 0.6 Bad (wrong)   3: 0.8 Bad   4: 0.55 Bad   5: 0.45/0.55 → Bad but is Good
const PROBABILITIES = [
  [0.9, 0.1],
  [0.7, 0.3],
  [0.6, 0.4],
  [0.2, 0.8],
  [0.45, 0.55],
  [0.45, 0.55],
];
const LABELS = [0, 0, 1, 1, 1, 0];

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, expected ${expected}`);

test('with no thresholds every verdict is confirmed and the metrics are the argmax ones', () => {
  const metrics = thresholdMetrics(PROBABILITIES, LABELS, CLASSES, {});
  // Predicted Good: images 0, 1, 2 (2 is Bad): precision 2/3; Good images are 0, 1, 5: recall 2/3.
  close(metrics.perClass.Good!.precision, 2 / 3, 'Good precision');
  close(metrics.perClass.Good!.recall, 2 / 3, 'Good recall');
  close(metrics.perClass.Good!.f1, 2 / 3, 'Good F1');
  // Predicted Bad: images 3, 4, 5 (5 is Good): precision 2/3; Bad images are 2, 3, 4: recall 2/3.
  close(metrics.perClass.Bad!.precision, 2 / 3, 'Bad precision');
  assert.equal(metrics.confirmedFraction, 1);
  assert.equal(metrics.perClass.Bad!.confirmedFraction, 1);
});

test('a threshold leaves the verdicts below it unconfirmed: they count for no class', () => {
  const metrics = thresholdMetrics(PROBABILITIES, LABELS, CLASSES, { Good: 0.65, Bad: 0.6 });
  // Good confirmed: 0 (0.9) and 1 (0.7); image 2 (0.6 < 0.65) is not. Both confirmed are Good: precision 1,
  // recall 2/3 (image 5 is Good too), F1 = 2·1·(2/3) / (1 + 2/3) = 0.8.
  close(metrics.perClass.Good!.precision, 1, 'Good precision');
  close(metrics.perClass.Good!.recall, 2 / 3, 'Good recall');
  close(metrics.perClass.Good!.f1, 0.8, 'Good F1');
  close(metrics.perClass.Good!.confirmedFraction, 2 / 3, 'Good confirmed');
  // Bad confirmed: only 3 (0.8); 4 and 5 (0.55) are not. Precision 1, recall 1/3, F1 = 2·(1/3) / (4/3) = 0.5.
  close(metrics.perClass.Bad!.precision, 1, 'Bad precision');
  close(metrics.perClass.Bad!.recall, 1 / 3, 'Bad recall');
  close(metrics.perClass.Bad!.f1, 0.5, 'Bad F1');
  // Three of six confirmed.
  close(metrics.confirmedFraction, 0.5, 'confirmed');
  // A threshold equal to the probability confirms it (≥, as decideVerdict rules).
  close(
    thresholdMetrics(PROBABILITIES, LABELS, CLASSES, { Good: 0.6 }).perClass.Good!.confirmedFraction,
    1,
    'at the threshold',
  );
});

test('the precision–recall curve has one point per distinct probability of a predicted class, highest first', () => {
  // Bad is predicted for 3 (0.8, right), then 4 and 5 together (0.55: one right, one wrong); 3 Bad images.
  assert.deepEqual(precisionRecallCurve(PROBABILITIES, LABELS, 1), [
    { threshold: 0.8, precision: 1, recall: 1 / 3 },
    { threshold: 0.55, precision: 2 / 3, recall: 2 / 3 },
  ]);
  // Good: 0.9 (right), 0.7 (right), 0.6 (wrong).
  assert.deepEqual(precisionRecallCurve(PROBABILITIES, LABELS, 0), [
    { threshold: 0.9, precision: 1, recall: 1 / 3 },
    { threshold: 0.7, precision: 1, recall: 2 / 3 },
    { threshold: 0.6, precision: 2 / 3, recall: 2 / 3 },
  ]);
});

test('a perfectly calibrated set has an expected calibration error of 0', () => {
  // Ten images at confidence 0.8, eight right; four at 0.5 (two right, as argmax picks the first on a tie).
  const probabilities = [
    ...Array.from({ length: 10 }, () => [0.8, 0.2]),
    ...Array.from({ length: 4 }, () => [0.5, 0.5]),
  ];
  const labels = [...[0, 0, 0, 0, 0, 0, 0, 0, 1, 1], ...[0, 0, 1, 1]];
  const diagram = reliabilityDiagram(probabilities, labels);
  close(diagram.ece, 0, 'ECE');
  assert.equal(diagram.bins.length, 10);
  assert.deepEqual(
    diagram.bins.map((bin) => bin.count),
    [0, 0, 0, 0, 0, 4, 0, 0, 10, 0],
  );
  close(diagram.bins[8]!.accuracy, 0.8, 'accuracy at 0.8');
  close(diagram.bins[8]!.confidence, 0.8, 'confidence at 0.8');
});

test('an overconfident set has the ECE its bins give by hand', () => {
  // Four images at 0.9, half right: |0.5 − 0.9| = 0.4, weight 4/5; one at 1.0, right: 0, weight 1/5 → ECE 0.32.
  const probabilities = [
    [0.9, 0.1],
    [0.9, 0.1],
    [0.1, 0.9],
    [0.1, 0.9],
    [1, 0],
  ];
  const diagram = reliabilityDiagram(probabilities, [0, 1, 1, 0, 0], 5);
  close(diagram.ece, 0.32, 'ECE');
  assert.deepEqual(
    diagram.bins.map((bin) => bin.count),
    [0, 0, 0, 0, 5],
    'a probability of 1 falls in the last bin',
  );
  assert.throws(() => reliabilityDiagram(probabilities, [0, 1]), /5 probability rows for 2 labels/);
});

test('the metrics module the app bundles imports nothing from Node or TensorFlow.js', async () => {
  for (const file of ['threshold-metrics.ts', 'evaluate.ts']) {
    const source = await readFile(new URL(`../../src/ml/${file}`, import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import (?!type ).*from '([^']+)'/gm)].map((m) => m[1]);
    assert.deepEqual(
      imports.filter((specifier) => !specifier!.startsWith('./')),
      [],
      `${file} imports only its siblings at run time`,
    );
  }
});
