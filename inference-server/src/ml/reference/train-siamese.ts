import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../simulator/random.ts';
import { batchOf } from '../anomaly/reconstruction.ts';
import { createSiameseEncoder } from '../architectures/siamese-encoder.ts';
import { ImageDataset } from '../image-dataset.ts';
import { pixelsToInput } from '../preprocess.ts';
import type { LabeledFile } from '../training-set.ts';
import { normalisedEmbeddings } from './embedding.ts';

export interface SiameseParameters {
  epochs: number;
  /** Pairs per step. */
  batchSize: number;
  /** Adam's step size; 1e-3 by default. */
  learningRate?: number;
  /** How far apart (of at most 2) the contrastive loss pushes plots of different classes; 1 by default. */
  margin?: number;
}

export interface TrainSiameseOptions {
  inputShape: [number, number, number];
  /** Labeled image files of the plot type; at least two classes, one of them with two images or more. */
  images: LabeledFile[];
  parameters: SiameseParameters;
  /** Seeds the initial weights and the pairs. */
  seed: number;
  /** After every epoch: the mean contrastive loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Checked between steps; once aborted, training stops and resolves as cancelled. */
  signal?: AbortSignal;
}

export type TrainSiameseResult =
  | { status: 'completed'; model: tf.LayersModel; loss: number[]; steps: number; durationMs: number }
  | { status: 'cancelled'; loss: number[]; steps: number; durationMs: number };

const DEFAULT_LEARNING_RATE = 1e-3;
const DEFAULT_MARGIN = 1;

/** Image indices by class, for the classes that have any. */
function indicesByClass(images: readonly LabeledFile[]): number[][] {
  const byClass = new Map<number, number[]>();
  images.forEach(({ label }, index) => byClass.set(label, [...(byClass.get(label) ?? []), index]));
  return [...byClass.values()];
}

/**
 * Pairs for one step: each anchor's class is drawn uniformly (a rare fault counts as much as the usual plots), and
 * half the anchors get a partner of the same class, half one of another. `same` is 1 for a same-class pair.
 */
export function drawPairs(
  byClass: readonly number[][],
  count: number,
  random: Random,
): { anchors: number[]; partners: number[]; same: number[] } {
  const withTwo = byClass.filter((members) => members.length >= 2);
  const pick = (members: readonly number[]) => members[random.int(members.length)]!;
  const pairs = { anchors: [] as number[], partners: [] as number[], same: [] as number[] };
  for (let index = 0; index < count; index++) {
    const same = index % 2 === 0;
    const classIndex = random.int((same ? withTwo : byClass).length);
    const members = (same ? withTwo : byClass)[classIndex]!;
    const anchor = pick(members);
    let partner = anchor;
    if (same) while (partner === anchor) partner = pick(members);
    else {
      const others = byClass.filter((other) => other !== members);
      partner = pick(others[random.int(others.length)]!);
    }
    pairs.anchors.push(anchor);
    pairs.partners.push(partner);
    pairs.same.push(same ? 1 : 0);
  }
  return pairs;
}

/**
 * Trains a Siamese encoder on pairs of a plot type's labeled plots with the contrastive loss (Hadsell, Chopra and
 * LeCun, 2006): same-class pairs are pulled together (d²), other pairs pushed beyond the margin (max(0, m − d)²).
 */
export async function trainSiamese({
  inputShape,
  images,
  parameters,
  seed,
  onEpoch,
  signal,
}: TrainSiameseOptions): Promise<TrainSiameseResult> {
  const byClass = indicesByClass(images);
  if (byClass.length < 2 || !byClass.some((members) => members.length >= 2)) {
    throw new RangeError(
      'A Siamese model needs labeled plots of at least two classes, and two plots of one class at least',
    );
  }
  const started = performance.now();
  const dataset = new ImageDataset(images, inputShape);
  const model = createSiameseEncoder({ inputShape, seed });
  const optimizer = tf.train.adam(parameters.learningRate ?? DEFAULT_LEARNING_RATE);
  const margin = parameters.margin ?? DEFAULT_MARGIN;
  const random = Random.derive(seed, 'siamese-pairs');
  const stepsPerEpoch = Math.max(1, Math.ceil(images.length / parameters.batchSize));
  const loss: number[] = [];
  let steps = 0;
  const ended = () => ({ loss, steps, durationMs: performance.now() - started });
  try {
    for (let epoch = 1; epoch <= parameters.epochs; epoch++) {
      let sum = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        await nextTurn();
        if (signal?.aborted) {
          model.dispose();
          return { status: 'cancelled', ...ended() };
        }
        const pairs = drawPairs(byClass, parameters.batchSize, random);
        const inputs = (await dataset.pixelsOf([...pairs.anchors, ...pairs.partners])).map(pixelsToInput);
        sum += trainStep(model, optimizer, batchOf(inputs, inputShape), pairs.same, margin);
        steps++;
      }
      loss.push(sum / stepsPerEpoch);
      onEpoch?.(epoch, sum / stepsPerEpoch);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return { status: 'completed', model, ...ended() };
}

/** One optimizer step on a batch of anchors followed by their partners; returns its mean contrastive loss. */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  same: number[],
  margin: number,
): number {
  const loss = tf.tidy(() => {
    const isSame = tf.tensor1d(same);
    return optimizer.minimize(() => {
      const [anchors, partners] = tf.split(normalisedEmbeddings(model, images, true), 2, 0) as [
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const squared = tf.sum(tf.square(tf.sub(anchors, partners)), 1);
      const distance = tf.sqrt(tf.add(squared, 1e-9));
      const pull = tf.mul(isSame, squared);
      const push = tf.mul(tf.sub(1, isSame), tf.square(tf.relu(tf.sub(margin, distance))));
      return tf.mean(tf.add(pull, push)) as tf.Scalar;
    }, true) as tf.Scalar;
  });
  images.dispose();
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  return value;
}
