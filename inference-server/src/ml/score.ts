// Each model kind scores images its own way; the worker and everything after it only pass the outputs on.
import type * as tf from '@tensorflow/tfjs';
import { MODEL_KINDS } from '../enums.ts';
import type { ModelKind } from '../enums.ts';
import { anomalyScores } from './anomaly/reconstruction.ts';
import type { ModelShape } from './model-shape.ts';
import { predictBatch } from './predict.ts';
import { siameseEmbeddings } from './reference/embedding.ts';

/** A model version as scoring needs it: the input it was registered with, and its classes. */
export interface ScoredVersion {
  inputShape: [number, number, number];
  classes: readonly string[];
}

interface Scoring {
  /** Why a model of `shape` cannot serve `version`, beyond the input every kind checks; undefined when it can. */
  misfit(shape: ModelShape, version: ScoredVersion): string | undefined;
  /** Raw outputs per preprocessed image, in input order, computed in one tf.tidy. */
  score(model: tf.LayersModel, inputs: Float32Array[], inputShape: [number, number, number]): number[][];
}

const SCORINGS: Record<ModelKind, Scoring> = {
  classifier: {
    misfit: ({ outputUnits }, { classes }) =>
      outputUnits === classes.length
        ? undefined
        : `gives ${outputUnits} outputs, but it is registered with ${classes.length} classes`,
    // The softmax probabilities, in the order of the version's classes.
    score: predictBatch,
  },
  autoencoder: {
    misfit: ({ outputUnits, inputShape }) =>
      outputUnits === inputShape[2]
        ? undefined
        : `gives images of ${outputUnits} channels, but it takes ${inputShape[2]}: an autoencoder redraws its input`,
    // One output: the anomaly score (reconstruction error over the usual error of each pixel).
    score: (model, inputs, inputShape) => anomalyScores(model, inputs, inputShape).map((score) => [score]),
  },
  siamese: {
    misfit: () => undefined,
    // The unit-length embedding; its distance from the reference's is measured beside the verdict.
    score: siameseEmbeddings,
  },
};

function scoringOf(kind: ModelKind): Scoring {
  // Kinds arrive in worker messages and database rows, where the type does not hold.
  if (!Object.hasOwn(SCORINGS, kind)) {
    throw new Error(`Unknown model kind '${String(kind)}': the kinds are ${MODEL_KINDS.join(', ')}`);
  }
  return SCORINGS[kind];
}

/**
 * Raw outputs of a model of `kind` for each of `inputs`: a classifier's class probabilities, an autoencoder's score, a
 * Siamese encoder's embedding.
 */
export function score(
  kind: ModelKind,
  model: tf.LayersModel,
  inputs: Float32Array[],
  inputShape: [number, number, number],
): number[][] {
  return scoringOf(kind).score(model, inputs, inputShape);
}

/**
 * Why a model of `kind` and `shape` cannot serve `version`, e.g. "gives 3 outputs, but it is registered with 2
 * classes"; undefined when it can.
 */
export function misfitOf(kind: ModelKind, shape: ModelShape, version: ScoredVersion): string | undefined {
  const scoring = scoringOf(kind);
  const [given, registered] = [shape.inputShape, version.inputShape].map((size) => size.join(', '));
  if (given !== registered) return `takes input [${given}], but it is registered with [${registered}]`;
  return scoring.misfit(shape, version);
}
