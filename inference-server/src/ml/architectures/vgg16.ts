import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';

export interface Vgg16Options {
  /** [height, width, channels]; height and width at least 32, so five 2×2 poolings leave a 1×1 map. */
  inputShape?: [number, number, number];
  numClasses: number;
  /** Makes the random initial weights reproducible. */
  seed?: number;
}

/** Keras's smallest input for VGG16. */
const MIN_INPUT_SIZE = 32;

/** Filters of each block's 3×3 convolutions, as in keras.applications.vgg16. */
const BLOCKS = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
];

/** Units of the two fully connected layers of the classifier head. */
const FC_UNITS = 4096;

/**
 * The Keras VGG16 topology (keras.applications.vgg16 with include_top) with random weights. Layers carry Keras's
 * names (block1_conv1 ... block5_pool, flatten, fc1, fc2, predictions), so converted ImageNet weights map onto them
 * by name, and `block5_pool` is the last 4-D activation for Grad-CAM.
 */
export function createVgg16({ inputShape = [224, 224, 3], numClasses, seed }: Vgg16Options): tf.Sequential {
  const [height, width] = inputShape;
  if (height < MIN_INPUT_SIZE || width < MIN_INPUT_SIZE) {
    throw new Error(
      `VGG16 needs an input of at least ${MIN_INPUT_SIZE}×${MIN_INPUT_SIZE}, got ${height}×${width}`,
    );
  }
  const nextKernelInitializer = kernelInitializers(seed);
  const model = tf.sequential({ name: 'vgg16' });
  model.add(tf.layers.inputLayer({ name: 'input_1', inputShape }));
  BLOCKS.forEach((convFilters, blockIndex) => {
    const block = `block${blockIndex + 1}`;
    convFilters.forEach((filters, convIndex) => {
      model.add(
        tf.layers.conv2d({
          name: `${block}_conv${convIndex + 1}`,
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: nextKernelInitializer(),
        }),
      );
    });
    model.add(tf.layers.maxPooling2d({ name: `${block}_pool`, poolSize: 2, strides: 2 }));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  for (const name of ['fc1', 'fc2']) {
    model.add(
      tf.layers.dense({
        name,
        units: FC_UNITS,
        activation: 'relu',
        kernelInitializer: nextKernelInitializer(),
      }),
    );
  }
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
