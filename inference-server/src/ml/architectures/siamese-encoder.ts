import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';

export interface SiameseEncoderOptions {
  /** [height, width, channels]; height and width divisible by 8. */
  inputShape: [number, number, number];
  /** Length of the embedding; 32 by default. */
  embeddingSize?: number;
  /** Makes the initial weights reproducible. */
  seed?: number;
}

/** The small CNN's conv+pool blocks, by name and shape, so its trained encoder can serve as `baseWeights`. */
const BLOCK_FILTERS = [16, 32, 64];
const DEFAULT_EMBEDDING_SIZE = 32;

/**
 * The encoder of a Siamese model: the small CNN's three conv+pool blocks, then a dense layer from the flattened map
 * (position is the physics in a monitoring plot, as in the small CNN's "where") to a linear embedding. One encoder
 * reads both plots of a pair; the distance of their L2-normalised embeddings says how unlike they are.
 */
export function createSiameseEncoder({
  inputShape,
  embeddingSize = DEFAULT_EMBEDDING_SIZE,
  seed,
}: SiameseEncoderOptions): tf.LayersModel {
  const [height, width] = inputShape;
  if (height % 8 !== 0 || width % 8 !== 0) {
    throw new RangeError(
      `The Siamese encoder's input must be a multiple of 8 wide and high, not ${height}×${width}`,
    );
  }
  const nextKernelInitializer = kernelInitializers(seed);
  const image = tf.input({ name: 'image', shape: inputShape });
  let features = tf.layers
    .rescaling({ name: 'centre', scale: 2, offset: -1 })
    .apply(image) as tf.SymbolicTensor;
  BLOCK_FILTERS.forEach((filters, index) => {
    const block = index + 1;
    const conv = tf.layers.conv2d({
      name: `conv${block}`,
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: nextKernelInitializer(),
    });
    const pool = tf.layers.maxPooling2d({ name: `pool${block}`, poolSize: 2 });
    features = pool.apply(conv.apply(features)) as tf.SymbolicTensor;
  });
  const embedding = tf.layers
    .dense({
      name: 'embedding',
      units: embeddingSize,
      kernelInitializer: nextKernelInitializer(),
    })
    .apply(tf.layers.flatten({ name: 'flatten' }).apply(features)) as tf.SymbolicTensor;
  return tf.model({ name: 'siamese_encoder', inputs: image, outputs: embedding });
}
