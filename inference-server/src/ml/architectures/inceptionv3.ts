import * as tf from '@tensorflow/tfjs';
import { kernelInitializers } from './seeded-initializers.ts';

export interface InceptionV3Options {
  /** [height, width, channels]; height and width at least 75, as in Keras. */
  inputShape?: [number, number, number];
  numClasses: number;
  /** Makes the random initial weights reproducible. */
  seed?: number;
}

/** Keras's smallest input: five stride-2 stages must leave a feature map of at least 1×1. */
const MIN_INPUT_SIZE = 75;

type ConvOptions = { strides?: number; padding?: 'same' | 'valid' };

/**
 * The Keras InceptionV3 topology (keras.applications.inception_v3) with random weights. Layers are built in
 * Keras's order and named as Keras names them (conv2d, conv2d_1, ..., batch_normalization_N, mixed0..mixed10,
 * avg_pool, predictions), so converted ImageNet weights map onto them by name, and `mixed10` is the last
 * convolutional block for Grad-CAM.
 */
export function createInceptionV3({
  inputShape = [299, 299, 3],
  numClasses,
  seed,
}: InceptionV3Options): tf.LayersModel {
  const [height, width] = inputShape;
  if (height < MIN_INPUT_SIZE || width < MIN_INPUT_SIZE) {
    throw new Error(
      `InceptionV3 needs an input of at least ${MIN_INPUT_SIZE}×${MIN_INPUT_SIZE}, got ${height}×${width}`,
    );
  }
  const nextKernelInitializer = kernelInitializers(seed);
  const layerCounts = new Map<string, number>();
  /** Keras's automatic names: the first layer of a kind is `kind`, the next `kind_1`, `kind_2`, ... */
  const autoName = (kind: string): string => {
    const count = layerCounts.get(kind) ?? 0;
    layerCounts.set(kind, count + 1);
    return count === 0 ? kind : `${kind}_${count}`;
  };
  const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor =>
    layer.apply(input) as tf.SymbolicTensor;

  /** Keras's conv2d_bn: convolution without bias, batch normalisation without scale, ReLU. */
  const convBn = (
    x: tf.SymbolicTensor,
    filters: number,
    rows: number,
    cols: number,
    { strides = 1, padding = 'same' }: ConvOptions = {},
  ): tf.SymbolicTensor => {
    const conv = tf.layers.conv2d({
      name: autoName('conv2d'),
      filters,
      kernelSize: [rows, cols],
      strides,
      padding,
      useBias: false,
      kernelInitializer: nextKernelInitializer(),
    });
    const norm = tf.layers.batchNormalization({
      name: autoName('batch_normalization'),
      axis: 3,
      scale: false,
    });
    const relu = tf.layers.activation({ name: autoName('activation'), activation: 'relu' });
    return apply(relu, apply(norm, apply(conv, x)));
  };
  const maxPool = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
    apply(tf.layers.maxPooling2d({ name: autoName('max_pooling2d'), poolSize: 3, strides: 2 }), x);
  const avgPoolSame = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
    apply(
      tf.layers.averagePooling2d({
        name: autoName('average_pooling2d'),
        poolSize: 3,
        strides: 1,
        padding: 'same',
      }),
      x,
    );
  const concat = (branches: tf.SymbolicTensor[], name = autoName('concatenate')): tf.SymbolicTensor =>
    apply(tf.layers.concatenate({ name, axis: 3 }), branches);

  // mixed0-2, 35×35: 1×1, 5×5, double 3×3 and pooled branches.
  const blockA = (x: tf.SymbolicTensor, poolFilters: number, name: string): tf.SymbolicTensor => {
    const branch1x1 = convBn(x, 64, 1, 1);
    const branch5x5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const branch3x3dbl = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const branchPool = convBn(avgPoolSame(x), poolFilters, 1, 1);
    return concat([branch1x1, branch5x5, branch3x3dbl, branchPool], name);
  };
  // mixed3: grid reduction 35×35 → 17×17.
  const reductionA = (x: tf.SymbolicTensor): tf.SymbolicTensor => {
    const branch3x3 = convBn(x, 384, 3, 3, { strides: 2, padding: 'valid' });
    const branch3x3dbl = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, {
      strides: 2,
      padding: 'valid',
    });
    return concat([branch3x3, branch3x3dbl, maxPool(x)], 'mixed3');
  };
  // mixed4-7, 17×17: factorised 7×7 branches with `width` inner filters.
  const blockC = (x: tf.SymbolicTensor, width: number, name: string): tf.SymbolicTensor => {
    const branch1x1 = convBn(x, 192, 1, 1);
    const branch7x7 = convBn(convBn(convBn(x, width, 1, 1), width, 1, 7), 192, 7, 1);
    let branch7x7dbl = convBn(x, width, 1, 1);
    branch7x7dbl = convBn(branch7x7dbl, width, 7, 1);
    branch7x7dbl = convBn(branch7x7dbl, width, 1, 7);
    branch7x7dbl = convBn(branch7x7dbl, width, 7, 1);
    branch7x7dbl = convBn(branch7x7dbl, 192, 1, 7);
    const branchPool = convBn(avgPoolSame(x), 192, 1, 1);
    return concat([branch1x1, branch7x7, branch7x7dbl, branchPool], name);
  };
  // mixed8: grid reduction 17×17 → 8×8.
  const reductionB = (x: tf.SymbolicTensor): tf.SymbolicTensor => {
    const branch3x3 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, { strides: 2, padding: 'valid' });
    let branch7x7x3 = convBn(x, 192, 1, 1);
    branch7x7x3 = convBn(branch7x7x3, 192, 1, 7);
    branch7x7x3 = convBn(branch7x7x3, 192, 7, 1);
    branch7x7x3 = convBn(branch7x7x3, 192, 3, 3, { strides: 2, padding: 'valid' });
    return concat([branch3x3, branch7x7x3, maxPool(x)], 'mixed8');
  };
  // mixed9-10, 8×8: expanded 1×3 / 3×1 branches.
  const blockE = (x: tf.SymbolicTensor, index: number): tf.SymbolicTensor => {
    const branch1x1 = convBn(x, 320, 1, 1);
    const branch3x3Stem = convBn(x, 384, 1, 1);
    const branch3x3 = concat(
      [convBn(branch3x3Stem, 384, 1, 3), convBn(branch3x3Stem, 384, 3, 1)],
      `mixed9_${index}`,
    );
    const branch3x3dblStem = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const branch3x3dbl = concat([convBn(branch3x3dblStem, 384, 1, 3), convBn(branch3x3dblStem, 384, 3, 1)]);
    const branchPool = convBn(avgPoolSame(x), 192, 1, 1);
    return concat([branch1x1, branch3x3, branch3x3dbl, branchPool], `mixed${9 + index}`);
  };

  const image = tf.input({ name: 'input_1', shape: inputShape });
  let x = convBn(image, 32, 3, 3, { strides: 2, padding: 'valid' });
  x = convBn(x, 32, 3, 3, { padding: 'valid' });
  x = convBn(x, 64, 3, 3);
  x = maxPool(x);
  x = convBn(x, 80, 1, 1, { padding: 'valid' });
  x = convBn(x, 192, 3, 3, { padding: 'valid' });
  x = maxPool(x);
  x = blockA(x, 32, 'mixed0');
  x = blockA(x, 64, 'mixed1');
  x = blockA(x, 64, 'mixed2');
  x = reductionA(x);
  x = blockC(x, 128, 'mixed4');
  x = blockC(x, 160, 'mixed5');
  x = blockC(x, 160, 'mixed6');
  x = blockC(x, 192, 'mixed7');
  x = reductionB(x);
  x = blockE(x, 0);
  x = blockE(x, 1);
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  const predictions = apply(
    tf.layers.dense({
      name: 'predictions',
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: nextKernelInitializer(),
    }),
    pooled,
  );
  return tf.model({ name: 'inception_v3', inputs: image, outputs: predictions });
}
