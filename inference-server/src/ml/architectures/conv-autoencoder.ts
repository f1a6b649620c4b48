import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';

export interface ConvAutoencoderOptions {
  /** [height, width, channels]; height and width divisible by 8. */
  inputShape: [number, number, number];
  /** Makes the initial weights reproducible. */
  seed?: number;
}

/**
 * The encoder's conv+pool blocks: the small CNN's names, filters and kernels, so a small CNN of the same input can
 * start from a trained autoencoder (`baseWeights`: layers are matched by name and shape).
 */
const ENCODER_FILTERS = [16, 32, 64];
/** Channels of the code at 1/8 of the input's size: narrow, so the decoder can only redraw what is usual. */
const CODE_CHANNELS = 8;

/**
 * A small convolutional autoencoder for one plot type: the small CNN's encoder (inputs rescaled to [-1, 1], three
 * conv+pool blocks), a 1×1 conv down to a narrow code, and three stride-2 transposed convs back to the input's size.
 * The last is linear: a sigmoid saturates on plots that are mostly white, and the net then learns a blank page and
 * stops (its gradient vanishes on the few dark pixels). Trained on a plot type's usual images, it redraws
 * them well and anything unusual badly: the reconstruction error is the anomaly score.
 */
export function createConvAutoencoder({ inputShape, seed }: ConvAutoencoderOptions): tf.LayersModel {
  const [height, width, channels] = inputShape;
  if (height % 8 !== 0 || width % 8 !== 0) {
    throw new RangeError(
      `The autoencoder's input must be a multiple of 8 wide and high, not ${height}×${width}`,
    );
  }
  const nextKernelInitializer = kernelInitializers(seed);
  const conv = (name: string, filters: number, kernelSize: number) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: nextKernelInitializer(),
    });
  const image = tf.input({ name: 'image', shape: inputShape });
  let features = tf.layers
    .rescaling({ name: 'centre', scale: 2, offset: -1 })
    .apply(image) as tf.SymbolicTensor;
  ENCODER_FILTERS.forEach((filters, index) => {
    const block = index + 1;
    const pool = tf.layers.maxPooling2d({ name: `pool${block}`, poolSize: 2 });
    features = pool.apply(conv(`conv${block}`, filters, 3).apply(features)) as tf.SymbolicTensor;
  });
  features = conv('code', CODE_CHANNELS, 1).apply(features) as tf.SymbolicTensor;
  const decoderFilters = [...ENCODER_FILTERS.slice(0, -1).reverse(), channels];
  decoderFilters.forEach((filters, index) => {
    const last = index === decoderFilters.length - 1;
    features = tf.layers
      .conv2dTranspose({
        name: last ? 'reconstruction' : `deconv${index + 1}`,
        filters,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: last ? 'linear' : 'relu',
        kernelInitializer: nextKernelInitializer(),
      })
      .apply(features) as tf.SymbolicTensor;
  });
  return tf.model({ name: 'conv_autoencoder', inputs: image, outputs: features });
}
