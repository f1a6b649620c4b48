import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import type { Random } from '../simulator/random.ts';
import { augmentInto } from './augment.ts';
import type { AugmentationOptions } from './augment.ts';
import type { ImageDataset } from './image-dataset.ts';

/** What every epoch of a run trains with. */
export interface EpochSetup {
  model: tf.LayersModel;
  train: ImageDataset;
  batchSize: number;
  /** Each class's weight in the loss, by class index. */
  classWeights: tf.Tensor1D;
  augmentation: AugmentationOptions;
  /** Draws the batch order and the augmentation. */
  random: Random;
  signal?: AbortSignal;
}

/** What a phase trains with: its optimizer and the variables it updates. */
export interface Optimisation {
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
}

/** Means over the epoch's batches so far (class-weighted, as optimised). */
export interface EpochMetrics {
  loss: number;
  accuracy: number;
}

export function batchesPerEpoch(images: number, batchSize: number): number {
  return Math.ceil(images / batchSize);
}

/**
 * One pass over the training images in a new random order, one optimizer step per batch, reporting the metrics so
 * far after each (`step` is 1-based). It yields to the event loop before each batch, and resolves as 'cancelled'
 * once the signal is aborted.
 */
export async function runEpoch(
  setup: EpochSetup,
  optimisation: Optimisation,
  onStep: (step: number, metrics: EpochMetrics) => void,
): Promise<EpochMetrics | 'cancelled'> {
  const { train, batchSize, random } = setup;
  const imageSize = train.inputShape[0] * train.inputShape[1] * train.inputShape[2];
  const order = shuffled(train.size, random);
  const batches = Array.from({ length: batchesPerEpoch(train.size, batchSize) }, (_, step) =>
    order.slice(step * batchSize, (step + 1) * batchSize),
  );
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  // The next batch decodes (on libuv threads) while this one trains. A batch abandoned by a cancel or an error
  // may still fail: that failure is handled here, and reported by the await that uses the batch, if any.
  const prefetch = (indices: number[] = []): Promise<Uint8Array[]> => {
    const pixels = train.pixelsOf(indices);
    pixels.catch(() => undefined);
    return pixels;
  };
  let next = prefetch(batches[0]);
  for (const [index, batch] of batches.entries()) {
    await nextTurn();
    if (setup.signal?.aborted) return 'cancelled';
    const pixels = await next;
    next = prefetch(batches[index + 1]);
    const inputs = new Float32Array(batch.length * imageSize);
    pixels.forEach((image, position) =>
      augmentInto(inputs, position * imageSize, image, train.inputShape, random, setup.augmentation),
    );
    const labels = batch.map((image) => train.labelOf(image));
    const { loss, correctCount } = trainStep(setup, optimisation, inputs, labels);
    const [lossValue, correctValue] = await Promise.all([loss.data(), correctCount.data()]);
    loss.dispose();
    correctCount.dispose();
    lossSum += (lossValue[0] as number) * batch.length;
    correct += correctValue[0] as number;
    seen += batch.length;
    onStep(index + 1, { loss: lossSum / seen, accuracy: correct / seen });
  }
  return { loss: lossSum / seen, accuracy: correct / seen };
}

function shuffled(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
}

/** One optimizer step on a batch; returns the batch's class-weighted loss and its number of correct predictions. */
function trainStep(
  { model, classWeights, train }: EpochSetup,
  { optimizer, variables }: Optimisation,
  inputs: Float32Array,
  labels: number[],
): { loss: tf.Scalar; correctCount: tf.Scalar } {
  let correctCount: tf.Scalar | undefined;
  const loss = tf.tidy(() => {
    const images = tf.tensor(inputs, [labels.length, ...train.inputShape]);
    const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), classWeights.size);
    return optimizer.minimize(
      () => {
        const probabilities = model.apply(images, { training: true }) as tf.Tensor2D;
        correctCount = tf.keep(
          tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.argMax(probabilities, 1), tf.argMax(targets, 1)), 'float32')),
        );
        const perImage = tf.metrics.categoricalCrossentropy(targets, probabilities);
        return tf.mean(tf.mul(perImage, tf.sum(tf.mul(targets, classWeights), 1))) as tf.Scalar;
      },
      true,
      variables,
    ) as tf.Scalar;
  });
  if (correctCount === undefined) throw new Error('The training step did not run');
  return { loss, correctCount };
}
