import type * as tf from '@tensorflow/tfjs';
import { predictBatch } from './predict.ts';
import { decodeImage, pixelsToInput } from './preprocess.ts';
import type { LabeledFile } from './training-set.ts';

/** Decoded pixels kept in memory, at most: beyond it images are decoded again each time they are needed. */
const DEFAULT_CACHE_BYTES = 1024 ** 3;

/**
 * Labeled image files decoded to a model's input size on demand, and kept as bytes (a quarter of the floats)
 * while they fit the cache, so each file is read and resized once per job rather than once per epoch.
 */
export class ImageDataset {
  readonly images: readonly LabeledFile[];
  readonly inputShape: [number, number, number];
  readonly #cache = new Map<number, Promise<Uint8Array>>();
  readonly #cacheLimit: number;

  constructor(
    images: readonly LabeledFile[],
    inputShape: [number, number, number],
    cacheBytes = DEFAULT_CACHE_BYTES,
  ) {
    this.images = images;
    this.inputShape = inputShape;
    this.#cacheLimit = Math.floor(cacheBytes / inputShape.reduce((product, size) => product * size, 1));
  }

  get size(): number {
    return this.images.length;
  }

  labelOf(index: number): number {
    const image = this.images[index];
    if (image === undefined) throw new RangeError(`No image ${index} in a set of ${this.size}`);
    return image.label;
  }

  /** The image's pixels, height × width × channels bytes. */
  pixels(index: number): Promise<Uint8Array> {
    const cached = this.#cache.get(index);
    if (cached) return cached;
    const image = this.images[index];
    if (image === undefined)
      return Promise.reject(new RangeError(`No image ${index} in a set of ${this.size}`));
    const decoded = decodeImage(image.path, this.inputShape);
    if (this.#cache.size < this.#cacheLimit) {
      this.#cache.set(index, decoded);
      // A failed decode is not cached: the job fails with it, and nothing should keep the rejection.
      decoded.catch(() => this.#cache.delete(index));
    }
    return decoded;
  }

  /** The images at `indices`, decoded in parallel. */
  pixelsOf(indices: readonly number[]): Promise<Uint8Array[]> {
    return Promise.all(indices.map((index) => this.pixels(index)));
  }
}

/** `read` of every image of `dataset`, in order, `batchSize` preprocessed images at a time. */
export async function mapDataset<T>(
  dataset: ImageDataset,
  batchSize: number,
  read: (inputs: Float32Array[]) => T[],
): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < dataset.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, dataset.size - start) }, (_, i) => start + i);
    results.push(...read((await dataset.pixelsOf(indices)).map(pixelsToInput)));
  }
  return results;
}

/** Class probabilities of every image of `dataset`, in order, `batchSize` images per forward pass. */
export async function predictDataset(
  model: tf.LayersModel,
  dataset: ImageDataset,
  batchSize: number,
): Promise<number[][]> {
  return mapDataset(dataset, batchSize, (inputs) => predictBatch(model, inputs, dataset.inputShape));
}
