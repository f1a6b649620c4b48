import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../simulator/random.ts';
import { createConvAutoencoder } from '../architectures/conv-autoencoder.ts';
import { ImageDataset } from '../image-dataset.ts';
import { pixelsToInput } from '../preprocess.ts';
import { batchOf, pixelErrors, setUsualError } from './reconstruction.ts';

export interface AutoencoderParameters {
  epochs: number;
  batchSize: number;
  /** Adam's step size; 2e-3 by default. */
  learningRate?: number;
  /**
   * The share of each batch, worst reconstructed first, left out of its loss (at least one image when above 0):
   * a few faulty plots among a plot type's recent images are not learnt as normal. 0.05 by default.
   */
  trimFraction?: number;
}

export interface TrainAutoencoderOptions {
  inputShape: [number, number, number];
  /** Image files of the plot type's recent images, unlabeled. */
  images: string[];
  parameters: AutoencoderParameters;
  /** Seeds the initial weights and the batch order. */
  seed: number;
  /** After every epoch: the mean trimmed loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Checked between batches; once aborted, training stops and resolves as cancelled. */
  signal?: AbortSignal;
}

export type TrainAutoencoderResult =
  | {
      status: 'completed';
      /** The caller's to dispose. */
      model: tf.LayersModel;
      /** Mean trimmed loss per epoch. */
      loss: number[];
      steps: number;
      durationMs: number;
    }
  | { status: 'cancelled'; loss: number[]; steps: number; durationMs: number };

const DEFAULT_LEARNING_RATE = 2e-3;
export const DEFAULT_TRIM_FRACTION = 0.05;

/** How many of a batch of `size` its loss leaves out. */
export function trimmedCount(size: number, trimFraction: number): number {
  if (trimFraction <= 0 || size < 2) return 0;
  return Math.min(size - 1, Math.max(1, Math.round(size * trimFraction)));
}

/** Trains a new autoencoder on `images`, without labels, with a trimmed reconstruction loss. */
export async function trainAutoencoder({
  inputShape,
  images,
  parameters,
  seed,
  onEpoch,
  signal,
}: TrainAutoencoderOptions): Promise<TrainAutoencoderResult> {
  if (images.length === 0) throw new RangeError('An autoencoder needs at least one image to learn from');
  const started = performance.now();
  const dataset = new ImageDataset(
    images.map((path) => ({ path, label: 0 })),
    inputShape,
  );
  const model = createConvAutoencoder({ inputShape, seed });
  const optimizer = tf.train.adam(parameters.learningRate ?? DEFAULT_LEARNING_RATE);
  const trim = parameters.trimFraction ?? DEFAULT_TRIM_FRACTION;
  const random = Random.derive(seed, 'autoencoder-batches');
  const loss: number[] = [];
  let steps = 0;
  const ended = () => ({ loss, steps, durationMs: performance.now() - started });
  try {
    for (let epoch = 1; epoch <= parameters.epochs; epoch++) {
      let sum = 0;
      for (const batch of batches(dataset.size, parameters.batchSize, random)) {
        await nextTurn();
        if (signal?.aborted) {
          model.dispose();
          return { status: 'cancelled', ...ended() };
        }
        const inputs = (await dataset.pixelsOf(batch)).map(pixelsToInput);
        sum += trainStep(model, optimizer, inputs, inputShape, trim) * batch.length;
        steps++;
      }
      loss.push(sum / dataset.size);
      onEpoch?.(epoch, sum / dataset.size);
    }
    setUsualError(model, await usualError(model, dataset, parameters.batchSize));
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return { status: 'completed', model, ...ended() };
}

/** Each pixel's mean squared reconstruction error over the dataset, height × width. */
async function usualError(
  model: tf.LayersModel,
  dataset: ImageDataset,
  batchSize: number,
): Promise<Float32Array> {
  const [height, width] = dataset.inputShape;
  const sum = new Float32Array(height * width);
  for (let start = 0; start < dataset.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, dataset.size - start) }, (_, i) => start + i);
    const inputs = (await dataset.pixelsOf(indices)).map(pixelsToInput);
    const batchSum = tf.tidy(() =>
      tf.sum(pixelErrors(model, batchOf(inputs, dataset.inputShape)), 0).dataSync(),
    );
    batchSum.forEach((value, index) => (sum[index]! += value));
  }
  return sum.map((value) => value / dataset.size);
}

function batches(count: number, batchSize: number, random: Random): number[][] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return Array.from({ length: Math.ceil(count / batchSize) }, (_, step) =>
    order.slice(step * batchSize, (step + 1) * batchSize),
  );
}

/** One optimizer step; returns the batch's trimmed loss. */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  inputs: Float32Array[],
  inputShape: [number, number, number],
  trim: number,
): number {
  const dropped = trimmedCount(inputs.length, trim);
  const loss = tf.tidy(() => {
    const images = batchOf(inputs, inputShape);
    return optimizer.minimize(() => {
      const perImage = tf.mean(pixelErrors(model, images, true), [1, 2]) as tf.Tensor1D;
      // The worst `dropped` images get weight 0: the mask is a constant, so no gradient flows through the ranking.
      const values = perImage.dataSync();
      const worstFirst = Array.from(values.keys()).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0));
      const keep = new Float32Array(values.length).fill(1);
      for (const index of worstFirst.slice(0, dropped)) keep[index] = 0;
      return tf.div(tf.sum(tf.mul(perImage, tf.tensor1d(keep))), values.length - dropped) as tf.Scalar;
    }, true) as tf.Scalar;
  });
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  return value;
}
