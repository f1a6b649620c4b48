import { embeddingDistance } from './embedding.ts';

/** An image as the near-duplicate grouping sees it: its run, when it was captured, and its embedding. */
export interface RunImage {
  id: number;
  runId: number | null;
  capturedAt: number;
  embedding: Float64Array;
}

/**
 * Near-duplicate groups: consecutive chunks of one run look alike, so, in capture order, an image joins the group of
 * its run's previous image when it is closer than `maxDistance` to that group's first image (its representative, the tile
 * the Labeler shows); otherwise it starts a group of its own. Images without a run are groups of their own. The
 * answer is the index (in `images`) of each image's representative.
 */
export function nearDuplicateGroups(images: readonly RunImage[], maxDistance: number): number[] {
  const inCaptureOrder = images
    .map((image, index) => ({ image, index }))
    .sort((a, b) => a.image.capturedAt - b.image.capturedAt || a.image.id - b.image.id);
  const lastOfRun = new Map<number, number>();
  const representative = new Array<number>(images.length);
  for (const { image, index } of inCaptureOrder) {
    const previous = image.runId === null ? undefined : lastOfRun.get(image.runId);
    const candidate = previous === undefined ? undefined : representative[previous]!;
    representative[index] =
      candidate !== undefined &&
      embeddingDistance(images[candidate]!.embedding, image.embedding) < maxDistance
        ? candidate
        : index;
    if (image.runId !== null) lastOfRun.set(image.runId, index);
  }
  return representative;
}

/** How many nearest neighbours an image's uniqueness is measured against. */
const NEIGHBOURS = 5;

/**
 * Each image's uniqueness: its mean distance to its NEIGHBOURS nearest images outside its own near-duplicate group
 * (chunks of one run do not make each other common), as a percentile of the set: the share of the other images that
 * are less unique, 0 to 1.
 */
export function uniqueness(embeddings: readonly Float64Array[], representative: readonly number[]): number[] {
  const count = embeddings.length;
  const nearest = embeddings.map(() => [] as number[]);
  // Sorted ascending, at most NEIGHBOURS long.
  const keep = (list: number[], distance: number) => {
    if (list.length === NEIGHBOURS && distance >= list[NEIGHBOURS - 1]!) return;
    let at = list.length === NEIGHBOURS ? NEIGHBOURS - 1 : list.length;
    list[at] = distance;
    for (; at > 0 && list[at - 1]! > distance; at--) [list[at - 1], list[at]] = [distance, list[at - 1]!];
  };
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      if (representative[i] === representative[j]) continue;
      const distance = embeddingDistance(embeddings[i]!, embeddings[j]!);
      keep(nearest[i]!, distance);
      keep(nearest[j]!, distance);
    }
  }
  const scores = nearest.map((list) => (list.length ? list.reduce((sum, d) => sum + d, 0) / list.length : 0));
  const sorted = [...scores].sort((a, b) => a - b);
  // The first index whose score is not below it: how many images are less unique.
  const below = (score: number) => {
    let [low, high] = [0, sorted.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]! < score) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return scores.map((score) => (count > 1 ? below(score) / (count - 1) : 0));
}
