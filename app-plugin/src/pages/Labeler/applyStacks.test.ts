import { describe, expect, it } from 'vitest';
import type { LabelBatch } from '@hydra/plugin-kit/client';
import { newApplyId, stacksFromBatches } from './applyStacks';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();

function batch(id: number, applyId: string | null, created: number, undone: number | null, count = 1): LabelBatch {
  return {
    id,
    applyId,
    user: 'alice',
    class: 'Bad',
    source: 'labeler',
    count,
    createdAt: at(created),
    undoneAt: undone === null ? null : at(undone),
    plotTypeId: 1,
    plotType: 'CDC_occupancy',
  };
}

describe('stacksFromBatches', () => {
  it('makes one Apply of the batches that share an applyId, the newest on top, whatever order they come in', () => {
    const stacks = stacksFromBatches([batch(4, null, 3, null), batch(3, 'b', 2, null, 5), batch(2, 'b', 2, null, 2)]);
    expect(stacks.done).toEqual([
      { batchIds: [2, 3], count: 7 },
      { batchIds: [4], count: 1 },
    ]);
    expect(stacks.undone).toEqual([]);
  });

  it('puts the undone Applies on the redo stack, the last undone on top, while nothing was applied after', () => {
    const stacks = stacksFromBatches([
      batch(1, 'a', 1, null),
      batch(2, 'b', 2, 6),
      batch(3, 'c', 3, 5),
      batch(4, 'c', 3, 5),
    ]);
    expect(stacks.done).toEqual([{ batchIds: [1], count: 1 }]);
    expect(stacks.undone).toEqual([
      { batchIds: [3, 4], count: 2 },
      { batchIds: [2], count: 1 },
    ]);
  });

  it('drops from the redo stack what was undone before a later Apply, as the page itself does', () => {
    const stacks = stacksFromBatches([batch(1, 'a', 1, 2), batch(2, 'b', 3, null)]);
    expect(stacks.done).toEqual([{ batchIds: [2], count: 1 }]);
    expect(stacks.undone).toEqual([]);
  });

  it('keeps what is left of a half-undone Apply undoable, and leaves out the plot grid’s overrides', () => {
    const override = { ...batch(3, null, 4, null), source: 'override' as const };
    const stacks = stacksFromBatches([batch(1, 'a', 1, 2, 3), batch(2, 'a', 1, null, 4), override]);
    expect(stacks.done).toEqual([{ batchIds: [2], count: 4 }]);
    expect(stacks.undone).toEqual([]);
  });
});

describe('newApplyId', () => {
  it('is what the server takes as an applyId, and differs each time', () => {
    const ids = new Set(Array.from({ length: 100 }, newApplyId));
    expect(ids.size).toBe(100);
    ids.forEach((id) => expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/));
  });
});
