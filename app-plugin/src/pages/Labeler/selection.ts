import type { QueueItem } from '@hydra/plugin-kit/client';

export interface Selection {
  ids: ReadonlySet<number>;
  /** Where a shift-click range starts: the last plain click. */
  anchor?: number;
}

export const NO_SELECTION: Selection = { ids: new Set() };

/** A click: toggles the image; a shift-click adds every loaded image from the anchor to it, both ends included. */
export function clickSelection(
  selection: Selection,
  items: ReadonlyArray<QueueItem | undefined>,
  index: number,
  shift: boolean
): Selection {
  const item = items[index];
  if (!item) {
    return selection;
  }
  const ids = new Set(selection.ids);
  if (shift && selection.anchor !== undefined) {
    const [from, to] = selection.anchor < index ? [selection.anchor, index] : [index, selection.anchor];
    for (let i = from; i <= to; i++) {
      const inRange = items[i];
      if (inRange) {
        ids.add(inRange.imageId);
      }
    }
    return { ids, anchor: index };
  }
  if (ids.has(item.imageId)) {
    ids.delete(item.imageId);
  } else {
    ids.add(item.imageId);
  }
  return { ids, anchor: index };
}

/** Adds the images from `start` to `end` (exclusive), e.g. those on screen. */
export function selectRange(
  selection: Selection,
  items: ReadonlyArray<QueueItem | undefined>,
  start: number,
  end: number
): Selection {
  const ids = new Set(selection.ids);
  for (let i = start; i < end; i++) {
    const item = items[i];
    if (item) {
      ids.add(item.imageId);
    }
  }
  return { ids, anchor: selection.anchor };
}
