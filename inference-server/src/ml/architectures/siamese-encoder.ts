import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';
import { smallCnnEncoder } from './small-cnn.ts';

export interface SiameseEncoderOptions {
  /** [height, width, channels]; height and width divisible by 8. */
  inputShape: [number, number, number];
  /** Length of the embedding; 32 by default. */
  embeddingSize?: number;
  /** Makes the initial weights reproducible. */
  seed?: number;
}

const DEFAULT_EMBEDDING_SIZE = 32;

/**
 * The encoder of a Siamese model: the small CNN's three conv+pool blocks (by name and shape, so a small CNN can start
 * from them), then a dense layer from the flattened map
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
  const { image, features } = smallCnnEncoder(inputShape, nextKernelInitializer);
  const embedding = tf.layers
    .dense({
      name: 'embedding',
      units: embeddingSize,
      kernelInitializer: nextKernelInitializer(),
    })
    .apply(tf.layers.flatten({ name: 'flatten' }).apply(features)) as tf.SymbolicTensor;
  return tf.model({ name: 'siamese_encoder', inputs: image, outputs: embedding });
}
