import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearDuplicateGroups, uniqueness, type RunImage } from '../../src/labels/similarity.ts';

// Embeddings of one feature, so that distances are plain differences (root-mean-square of one value).
const image = (id: number, runId: number | null, capturedAt: number, value: number): RunImage => ({
  id,
  runId,
  capturedAt,
  embedding: Float64Array.of(value),
});

test('near-duplicate groups: consecutive look-alike chunks of one run, measured from the group’s first image', () => {
  const images = [
    image(1, 7, 30, 0.105), // the run's third chunk, captured last, listed first
    image(2, 7, 10, 0.1),
    image(3, 7, 20, 0.104),
    image(4, 8, 15, 0.1), // another run: never a near-duplicate of run 7, however alike
    image(5, 7, 40, 0.5), // run 7 changes: a group of its own
    image(6, 7, 50, 0.503), // and its next chunk joins that one
    image(7, null, 60, 0.1), // no run: alone
    image(8, null, 70, 0.1),
  ];
  assert.deepEqual(nearDuplicateGroups(images, 0.01), [1, 1, 1, 3, 4, 4, 6, 7]);
  // Drift: each chunk near the previous one, but the fourth too far from the first starts a group.
  const drifting = [0, 0.006, 0.012].map((value, i) => image(i + 1, 1, i, value));
  assert.deepEqual(nearDuplicateGroups(drifting, 0.01), [0, 0, 2]);
  assert.deepEqual(nearDuplicateGroups(images, 0), [0, 1, 2, 3, 4, 5, 6, 7], 'distance 0: no groups');
});

test('uniqueness: the share of images less unique, near-duplicates of an image left aside', () => {
  // Five alike images, one apart, and a pair of identical chunks apart on the other side.
  const values = [0, 0.01, 0.02, 0.03, 0.04, -0.5, 0.6, 0.6];
  const embeddings = values.map((value) => Float64Array.of(value));
  const alone = values.map((_, i) => i);
  const scores = uniqueness(embeddings, [...alone.slice(0, 7), 6]);
  // The pair is the most unique (its twin does not count as a neighbour): the six others are less unique.
  assert.deepEqual(scores.slice(5), [5 / 7, 6 / 7, 6 / 7]);
  assert.ok(Math.max(...scores.slice(0, 5)) < 5 / 7, `the alike ones are common: ${scores.join(' ')}`);
  assert.ok(scores.every((score) => score >= 0));
  const notGrouped = uniqueness(embeddings, alone);
  assert.deepEqual(
    notGrouped.slice(5),
    [1, 5 / 7, 5 / 7],
    'not grouped, each twin is the other’s nearest image',
  );
  assert.deepEqual(uniqueness([Float64Array.of(1)], [0]), [0]);
});
