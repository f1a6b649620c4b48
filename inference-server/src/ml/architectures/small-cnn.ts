import * as tf from '@tensorflow/tfjs';
import { kernelInitializers, type Initializer } from './seeded-initializers.ts';

export interface SmallCnnOptions {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Makes the initial weights reproducible. */
  seed?: number;
}

/** Filters per conv+pool block: three blocks train in minutes on a CPU at 64×64. */
const BLOCK_FILTERS = [16, 32, 64];
/** Units of the position branch: enough to say which pad or which time window, few enough not to overfit. */
const WHERE_UNITS = 16;

/**
 * The small CNN's input and its conv+pool blocks (`conv1`–`conv3`), which other models of the same input share by
 * name and shape, so that one's trained blocks can start another (`baseWeights`).
 */
export function smallCnnEncoder(
  inputShape: [number, number, number],
  nextKernelInitializer: () => Initializer,
): { image: tf.SymbolicTensor; features: tf.SymbolicTensor } {
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
  return { image, features };
}

/**
 * A small conv net for plots that need no ImageNet features: inputs rescaled from [0, 1] to [-1, 1] (plots are
 * mostly white, and uncentred inputs barely trained), then conv+pool blocks and two heads that are joined before
 * the softmax:
 * - "what": global max pooling. A fault is local: the strongest response anywhere on the plot decides, where an
 *   average over the plot would dilute a dead sector.
 * - "where": the flattened feature map through a small dense layer. Global pooling forgets position, and in a
 *   monitoring plot position is the physics: a timing peak at the wrong time, or one pad of four left empty, look
 *   locally just like a good plot.
 */
export function createSmallCnn({ inputShape, numClasses, seed }: SmallCnnOptions): tf.LayersModel {
  const nextKernelInitializer = kernelInitializers(seed);
  const { image, features } = smallCnnEncoder(inputShape, nextKernelInitializer);
  const what = tf.layers.globalMaxPooling2d({ name: 'global_pool' }).apply(features);
  const where = tf.layers
    .dense({
      name: 'where',
      units: WHERE_UNITS,
      activation: 'relu',
      kernelInitializer: nextKernelInitializer(),
    })
    .apply(tf.layers.flatten({ name: 'flatten' }).apply(features));
  const joined = tf.layers
    .concatenate({ name: 'what_and_where' })
    .apply([what, where] as tf.SymbolicTensor[]);
  const probabilities = tf.layers
    .dense({
      name: 'predictions',
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: nextKernelInitializer(),
    })
    .apply(joined) as tf.SymbolicTensor;
  return tf.model({ name: 'small_cnn', inputs: image, outputs: probabilities });
}
