import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePredictions } from '../../src/ml/evaluate.ts';
import { learnedNothing, notUseful, trivialAnswer } from '../../src/models/trivial-answer.ts';

const CLASSES = ['Good', 'Bad'];
// Eight Good plots and two Bad ones.
const LABELS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
const always = (c: number) => LABELS.map(() => (c === 0 ? [0.9, 0.1] : [0.1, 0.9]));

test('the trivial answer is the most frequent class, with its accuracy and macro F1', () => {
  const trivial = trivialAnswer(evaluatePredictions(always(0), LABELS, CLASSES));
  assert.equal(trivial.answer, 'Good');
  assert.equal(trivial.accuracy, 0.8);
  // F1 of Good: precision 0.8, recall 1; Bad: 0; two classes present.
  assert.ok(Math.abs(trivial.macroF1 - (2 * 0.8) / 1.8 / 2) < 1e-12);
});

test('a model that always says Good learned nothing; one that finds a Bad did', () => {
  const alwaysGood = learnedNothing(evaluatePredictions(always(0), LABELS, CLASSES));
  assert.match(alwaysGood ?? '', /accuracy 80\.0%.*always answering Good scores 80\.0%/);
  assert.ok(learnedNothing(evaluatePredictions(always(1), LABELS, CLASSES)), 'always Bad is worse still');
  const findsOneBad = LABELS.map((label, i) => (label === 1 && i === 9 ? [0.2, 0.8] : [0.9, 0.1]));
  assert.equal(learnedNothing(evaluatePredictions(findsOneBad, LABELS, CLASSES)), undefined);
});

test('a version is useful only when it beats the trivial answer on both held-out splits', () => {
  const good = evaluatePredictions(
    LABELS.map((label) => (label === 1 ? [0.2, 0.8] : [0.9, 0.1])),
    LABELS,
    CLASSES,
  );
  const alwaysGood = evaluatePredictions(always(0), LABELS, CLASSES);
  assert.equal(notUseful({ evaluation: good, validation: good }), undefined);
  assert.match(notUseful({ evaluation: good, validation: alwaysGood }) ?? '', /^on the validation split/);
  assert.match(notUseful({ evaluation: alwaysGood, validation: good }) ?? '', /^on the test split/);
  assert.equal(
    notUseful({ evaluation: good }),
    undefined,
    'versions without a validation evaluation: test alone',
  );
});
