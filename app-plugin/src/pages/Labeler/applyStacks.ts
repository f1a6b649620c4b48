import type { LabelBatch } from '@hydra/plugin-kit/client';

/** One Apply: the server's label batches it made (one per class, or per 5000 images of a class). */
export interface Applied {
  batchIds: number[];
  count: number;
}

export interface ApplyStacks {
  /** Undoable Applies, the last on top. */
  done: Applied[];
  /** Undone Applies, the last undone on top. */
  undone: Applied[];
}

/** A name the server keeps with each batch of one Apply; made in the browser, which may not offer randomUUID. */
export function newApplyId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The undo and redo stacks as the server's batches of one user say (any order): batches that share an applyId are
 * one Apply, and an Apply counts as done while any of its batches is. Undone Applies can be redone only if nothing
 * was applied after they were undone, as in a page that never reloaded. Only the Labeler's own batches count (not
 * the plot grid's overrides).
 */
export function stacksFromBatches(batches: readonly LabelBatch[]): ApplyStacks {
  const applies = new Map<string, LabelBatch[]>();
  for (const batch of [...batches].sort((a, b) => a.id - b.id)) {
    if (batch.source === 'labeler') {
      const key = batch.applyId ?? `batch ${batch.id}`;
      applies.set(key, [...(applies.get(key) ?? []), batch]);
    }
  }
  const done: Applied[] = [];
  const undone: Array<Applied & { undoneAt: number }> = [];
  let lastApplied = -Infinity;
  for (const group of applies.values()) {
    const live = group.filter((batch) => batch.undoneAt === null);
    const of = (some: LabelBatch[]) => ({
      batchIds: some.map((batch) => batch.id),
      count: some.reduce((sum, batch) => sum + batch.count, 0),
    });
    if (live.length > 0) {
      done.push(of(live));
      lastApplied = Math.max(lastApplied, ...live.map((batch) => Date.parse(batch.createdAt)));
    } else {
      undone.push({ ...of(group), undoneAt: Math.max(...group.map((batch) => Date.parse(batch.undoneAt!))) });
    }
  }
  return {
    done,
    undone: undone
      .filter((apply) => apply.undoneAt >= lastApplied)
      .sort((a, b) => a.undoneAt - b.undoneAt)
      .map(({ batchIds, count }) => ({ batchIds, count })),
  };
}
