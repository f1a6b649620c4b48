// How unlike its plot type's reference a plot is: the distance between two embeddings, from a trained Siamese
// encoder or, for a plot type without one, from the pixels themselves.
import * as tf from '@tensorflow/tfjs';
import { batchOf } from '../anomaly/reconstruction.ts';

/** Cells per side of the grid the pixel embedding averages: fine enough for a dead sector, blind to pixel noise. */
const PIXEL_GRID = 16;

/** [batch, size]: embeddings scaled to unit length, so distances lie in [0, 2]; made inside the caller's tidy. */
export function normalisedEmbeddings(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  training = false,
): tf.Tensor2D {
  const output = model.apply(images, { training }) as tf.Tensor;
  if (output.rank !== 2) {
    throw new Error(
      `Model ${model.name} is no Siamese encoder: it must have one output of [batch, embedding]`,
    );
  }
  return tf.div(output, tf.add(tf.norm(output, 'euclidean', 1, true), 1e-6)) as tf.Tensor2D;
}

/** Each preprocessed image's unit-length embedding by a Siamese encoder, in one tf.tidy. */
export function siameseEmbeddings(
  model: tf.LayersModel,
  inputs: Float32Array[],
  inputShape: [number, number, number],
): number[][] {
  if (inputs.length === 0) return [];
  return tf.tidy(() => normalisedEmbeddings(model, batchOf(inputs, inputShape)).arraySync());
}

/**
 * The plain embedding, with no model: the image's grey level averaged over a PIXEL_GRID² grid of cells, row-major,
 * divided by the grid's size, so that the distance of two is the root-mean-square difference of their cell means, in
 * [0, 1], whatever the input's size and channels (the classifier's input, which differs between plot types).
 */
export function pixelEmbedding(
  input: Float32Array,
  [height, width, channels]: [number, number, number],
): number[] {
  const sums = new Float64Array(PIXEL_GRID * PIXEL_GRID);
  const counts = new Float64Array(PIXEL_GRID * PIXEL_GRID);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * PIXEL_GRID) / height) * PIXEL_GRID;
    for (let x = 0; x < width; x++) {
      const cell = row + Math.floor((x * PIXEL_GRID) / width);
      counts[cell]! += channels;
      for (let c = 0; c < channels; c++) sums[cell]! += input[(y * width + x) * channels + c]!;
    }
  }
  return Array.from(sums, (sum, cell) => sum / Math.max(1, counts[cell]!) / PIXEL_GRID);
}

/** The Euclidean distance between two embeddings of one kind. */
export function embeddingDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new RangeError(`embeddings of ${a.length} and ${b.length} values cannot be compared`);
  }
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index]! - b[index]!) ** 2;
  return Math.sqrt(sum);
}
