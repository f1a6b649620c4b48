// What an autoencoder makes of images: the per-pixel reconstruction error (the explanation) and one anomaly score.
import * as tf from '@tensorflow/tfjs';

/** The share of an image's pixels, worst first, whose mean error is its anomaly score. */
export const SCORED_PIXEL_FRACTION = 0.01;
/** Added to each pixel's usual error before dividing by it: a pixel that is always redrawn exactly is not infinite. */
const USUAL_ERROR_FLOOR = 1e-3;

/** A per-pixel reconstruction error, height × width, row-major: squared errors over the pixel's usual error. */
export interface ErrorMap {
  width: number;
  height: number;
  values: number[];
}

/** What an autoencoder keeps in its model.json (`userDefinedMetadata`) besides its layers. */
interface AutoencoderMetadata {
  /** Each pixel's mean squared reconstruction error over the images it learnt from, height × width. */
  usualError: number[];
}

/** Records, in the model (saved with it in model.json), each pixel's usual error on the images it learnt from. */
export function setUsualError(model: tf.LayersModel, usualError: Float32Array): void {
  model.setUserDefinedMetadata({ usualError: Array.from(usualError) } satisfies AutoencoderMetadata);
}

/** Per model: its usual error plus the floor, read from its metadata once; a plain array, so nothing to dispose. */
const divisors = new WeakMap<tf.LayersModel, Float32Array>();

/** [height, width]: what each pixel's error is divided by; made inside the caller's tidy. */
function divisorOf(model: tf.LayersModel, height: number, width: number): tf.Tensor2D {
  let divisor = divisors.get(model);
  if (divisor === undefined) {
    const metadata = model.getUserDefinedMetadata() as Partial<AutoencoderMetadata> | undefined;
    const usual = metadata?.usualError;
    if (!Array.isArray(usual) || usual.length !== height * width) {
      throw new Error(
        `Model ${model.name} is not an autoencoder trained by Hydra: its model.json has no usual error of ` +
          `${height}×${width} pixels`,
      );
    }
    divisor = Float32Array.from(usual, (value) => value + USUAL_ERROR_FLOOR);
    divisors.set(model, divisor);
  }
  return tf.tensor2d(divisor, [height, width]);
}

/** Images (height × width × channels floats in [0, 1]) as one batch tensor. */
export function batchOf(inputs: Float32Array[], inputShape: [number, number, number]): tf.Tensor4D {
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
  return tf.tensor4d(batch, [inputs.length, ...inputShape]);
}

/** [batch, height, width]: each pixel's squared reconstruction error, averaged over channels. */
export function pixelErrors(model: tf.LayersModel, images: tf.Tensor4D, training = false): tf.Tensor3D {
  const output = model.apply(images, { training }) as tf.Tensor | tf.Tensor[];
  if (Array.isArray(output) || output.rank !== 4) {
    throw new Error(`Model ${model.name} is not an autoencoder: it must give one image per input image`);
  }
  return tf.mean(tf.squaredDifference(output, images), 3) as tf.Tensor3D;
}

/**
 * [batch, height, width]: each pixel's error over its usual error, so that pixels every plot of the type redraws
 * badly (fine text, sharp edges) do not outshine a fault, and a plot that is wrong where the usual plot is easy
 * (a blank one) stands out.
 */
function relativeErrors(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor3D {
  const errors = pixelErrors(model, images);
  const [, height, width] = errors.shape;
  return tf.div(errors, divisorOf(model, height, width));
}

/**
 * [batch]: the mean relative error of each image's worst pixels (SCORED_PIXEL_FRACTION of them). A fault is local:
 * the mean over the whole plot would dilute a dead sector or a hot channel, and the single worst pixel is noise.
 */
function scoresOf(relative: tf.Tensor3D): tf.Tensor1D {
  const [batch, height, width] = relative.shape;
  const scored = Math.max(1, Math.round(height * width * SCORED_PIXEL_FRACTION));
  return tf.mean(tf.topk(tf.reshape(relative, [batch, height * width]), scored).values, 1) as tf.Tensor1D;
}

/** The anomaly score of each preprocessed image, in input order; every tensor it creates is disposed. */
export function anomalyScores(
  model: tf.LayersModel,
  inputs: Float32Array[],
  inputShape: [number, number, number],
): number[] {
  if (inputs.length === 0) return [];
  return tf.tidy(() => Array.from(scoresOf(relativeErrors(model, batchOf(inputs, inputShape))).dataSync()));
}

/** One image's per-pixel relative error and its anomaly score. */
export function anomalyMap(
  model: tf.LayersModel,
  input: Float32Array,
  inputShape: [number, number, number],
): { map: ErrorMap; score: number } {
  return tf.tidy(() => {
    const relative = relativeErrors(model, batchOf([input], inputShape));
    const score = scoresOf(relative).dataSync()[0] as number;
    const [, height, width] = relative.shape;
    return { map: { width, height, values: Array.from(relative.dataSync()) }, score };
  });
}
