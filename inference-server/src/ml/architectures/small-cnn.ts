import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';

export interface SmallCnnOptions {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Makes the initial weights reproducible. */
  seed?: number;
}

/** Filters per conv+pool block: three blocks train in minutes on a CPU at 64×64. */
const BLOCK_FILTERS = [16, 32, 64];

/**
 * A small conv net for plots that need no ImageNet features: inputs rescaled from [0, 1] to [-1, 1] (plots are
 * mostly white, and uncentred inputs barely trained), conv+pool blocks, global max pooling (a fault is local: the
 * strongest response anywhere on the plot decides, where an average over the plot would dilute a dead sector),
 * softmax.
 */
export function createSmallCnn({ inputShape, numClasses, seed }: SmallCnnOptions): tf.Sequential {
  const nextKernelInitializer = kernelInitializers(seed);
  const model = tf.sequential({ name: 'small_cnn' });
  model.add(tf.layers.inputLayer({ name: 'image', inputShape }));
  model.add(tf.layers.rescaling({ name: 'centre', scale: 2, offset: -1 }));
  BLOCK_FILTERS.forEach((filters, index) => {
    const block = index + 1;
    model.add(
      tf.layers.conv2d({
        name: `conv${block}`,
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: nextKernelInitializer(),
      }),
    );
    model.add(tf.layers.maxPooling2d({ name: `pool${block}`, poolSize: 2 }));
  });
  model.add(tf.layers.globalMaxPooling2d({ name: 'global_pool' }));
  model.add(
    tf.layers.dense({
      name: 'predictions',
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: nextKernelInitializer(),
    }),
  );
  return model;
}
