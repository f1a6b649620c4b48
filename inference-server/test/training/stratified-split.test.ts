import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stratifiedShare, stratifiedSplit } from '../../src/training/stratified-split.ts';

const items = [
  ...Array.from({ length: 80 }, (_, i) => ({ id: i, label: 'Good' })),
  ...Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, label: 'Bad' })),
  ...Array.from({ length: 2 }, (_, i) => ({ id: 200 + i, label: 'NoData' })),
];

test('each class keeps its share in train, validation and test, and nothing is lost or repeated', () => {
  const split = stratifiedSplit(items, (item) => item.label, 7, { validation: 0.15, test: 0.15 });
  const count = (part: typeof items, label: string) => part.filter((item) => item.label === label).length;
  assert.deepEqual(
    [count(split.test, 'Good'), count(split.validation, 'Good'), count(split.train, 'Good')],
    [12, 12, 56],
  );
  assert.deepEqual(
    [count(split.test, 'Bad'), count(split.validation, 'Bad'), count(split.train, 'Bad')],
    [3, 3, 14],
  );
  // Two images of a class are too few to hold any back.
  assert.equal(count(split.train, 'NoData'), 2);
  const all = [...split.train, ...split.validation, ...split.test]
    .map((item) => item.id)
    .sort((a, b) => a - b);
  assert.deepEqual(
    all,
    items.map((item) => item.id).sort((a, b) => a - b),
  );
});

test('the same seed gives the same split; another seed another one', () => {
  const ids = (seed: number) =>
    stratifiedSplit(items, (item) => item.label, seed, { validation: 0.15, test: 0.15 }).test.map(
      (i) => i.id,
    );
  assert.deepEqual(ids(7), ids(7));
  assert.notDeepEqual(ids(7), ids(8));
});

test('a share of the training split keeps each class in proportion, at least one of each', () => {
  const { train } = stratifiedSplit(items, (item) => item.label, 7, { validation: 0.15, test: 0.15 });
  const share = stratifiedShare(train, (item) => item.label, 0.1);
  const count = (label: string) => share.filter((item) => item.label === label).length;
  assert.deepEqual([count('Good'), count('Bad'), count('NoData')], [6, 1, 1]);
  // The first of each class in the order given: the seeded shuffle decides which.
  assert.deepEqual(
    share.map((item) => item.id),
    train.filter((item) => share.includes(item)).map((item) => item.id),
  );
  assert.deepEqual(
    stratifiedShare(train, (item) => item.label, 1),
    train,
  );
});
