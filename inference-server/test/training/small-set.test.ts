import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_BATCHES_PER_EPOCH, MIN_STEPS, smallSetSchedule } from '../../src/training/small-set.ts';

test('a set that fills a few batches keeps the requested schedule', () => {
  assert.deepEqual(smallSetSchedule(64, { epochs: 20, batchSize: 16 }), {
    schedule: { epochs: 20, batchSize: 16 },
  });
});

test('10 labeled plots per class of three classes (21 to train on) get smaller batches, and epochs enough to learn', () => {
  const { schedule, note } = smallSetSchedule(21, { epochs: 20, batchSize: 16 });
  assert.deepEqual(schedule, { epochs: 20, batchSize: 5 });
  assert.ok(Math.ceil(21 / schedule.batchSize) >= MIN_BATCHES_PER_EPOCH);
  assert.equal(note, 'small training set: 21 images fill 2 batches of 16; batches of 5 instead (5 an epoch)');
});

test('a short schedule on a small set is lengthened to the minimum number of steps', () => {
  const { schedule, note } = smallSetSchedule(12, { epochs: 1, batchSize: 4 });
  assert.deepEqual(schedule, { epochs: Math.ceil(MIN_STEPS / 4), batchSize: 3 });
  assert.match(
    note ?? '',
    /12 images fill 3 batches of 4; batches of 3 instead \(4 an epoch\), for up to 25 epochs instead of 1/,
  );
});
