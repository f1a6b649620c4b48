import * as tf from '@tensorflow/tfjs';

/**
 * Runs `model` on preprocessed images (each height × width × channels, as `preprocessImage` makes them) as one
 * batch and returns the class probabilities of each image. Every tensor it creates is disposed.
 */
export function predictBatch(
  model: tf.LayersModel,
  inputs: Float32Array[],
  inputShape: [number, number, number],
): number[][] {
  if (inputs.length === 0) return [];
  const imageSize = inputShape[0] * inputShape[1] * inputShape[2];
  const batch = new Float32Array(inputs.length * imageSize);
  inputs.forEach((input, index) => {
    if (input.length !== imageSize) {
      throw new RangeError(
        `Image ${index} has ${input.length} values; [${inputShape.join(', ')}] needs ${imageSize}`,
      );
    }
    batch.set(input, index * imageSize);
  });
  return tf.tidy(() => {
    const output = model.predict(tf.tensor4d(batch, [inputs.length, ...inputShape]));
    if (Array.isArray(output) || output.rank !== 2) {
      throw new Error(`Model ${model.name} is not a classifier: it must have one output of [batch, classes]`);
    }
    return output.arraySync() as number[][];
  });
}
