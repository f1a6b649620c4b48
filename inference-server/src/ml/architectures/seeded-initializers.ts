import * as tf from '@tensorflow/tfjs';

export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * Returns a source of Glorot-uniform kernel initializers for one model. With a seed, each call gets the
 * next seed, so weights are reproducible but layers of the same shape do not start identical.
 */
export function kernelInitializers(seed: number | undefined): () => Initializer {
  let layerIndex = 0;
  return () => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + layerIndex++ });
}
