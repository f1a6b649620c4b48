// Metrics of a classifier from its class probabilities on a labeled split. Plain numbers in and out: no tensors.

import type { Evaluation } from '../schemas/models.ts';

/** Bins of the predicted-class confidence in the enhanced confusion matrix: [0, 0.1), ..., [0.9, 1]. */
export const CONFIDENCE_BINS = 10;

/** The highest threshold chosen for a class: a threshold of 1 would never confirm anything. */
export const MAX_THRESHOLD = 0.99;

// The evaluation's shape is the API's (the Library page reads it): defined once, in the schema.
export type { Evaluation };
export type ClassMetrics = Evaluation['perClass'][string];

/** The index of the largest value (the first, on a tie), as tf.argMax picks it. */
export function argMax(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) {
    if ((values[index] as number) > (values[best] as number)) best = index;
  }
  return best;
}

export function f1Of(truePositives: number, falsePositives: number, falseNegatives: number): number {
  const denominator = 2 * truePositives + falsePositives + falseNegatives;
  return denominator === 0 ? 0 : (2 * truePositives) / denominator;
}

export function checkShapes(
  probabilities: readonly number[][],
  labels: readonly number[],
  classes: string[],
): void {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`${probabilities.length} probability rows for ${labels.length} labels`);
  }
  const badRow = probabilities.findIndex((row) => row.length !== classes.length);
  if (badRow !== -1) {
    throw new RangeError(
      `Row ${badRow} has ${probabilities[badRow]?.length} probabilities, not ${classes.length}`,
    );
  }
}

/** Confusion matrix, its confidence histograms, accuracy and per-class precision, recall and F1. */
export function evaluatePredictions(
  probabilities: readonly number[][],
  labels: readonly number[],
  classes: string[],
): Evaluation {
  checkShapes(probabilities, labels, classes);
  const classCount = classes.length;
  const confusionMatrix = classes.map(() => new Array<number>(classCount).fill(0));
  const confidenceHistograms = classes.map(() =>
    classes.map(() => new Array<number>(CONFIDENCE_BINS).fill(0)),
  );
  probabilities.forEach((row, index) => {
    const actual = labels[index] as number;
    const predicted = argMax(row);
    const bin = Math.min(CONFIDENCE_BINS - 1, Math.floor((row[predicted] as number) * CONFIDENCE_BINS));
    const counts = confusionMatrix[actual] as number[];
    counts[predicted] = (counts[predicted] as number) + 1;
    const histogram = confidenceHistograms[actual]?.[predicted] as number[];
    histogram[bin] = (histogram[bin] as number) + 1;
  });
  const perClass: Record<string, ClassMetrics> = {};
  let correct = 0;
  classes.forEach((name, c) => {
    const row = confusionMatrix[c] as number[];
    const truePositives = row[c] as number;
    const support = row.reduce((sum, count) => sum + count, 0);
    const predictedAs = confusionMatrix.reduce((sum, counts) => sum + (counts[c] as number), 0);
    correct += truePositives;
    perClass[name] = {
      precision: predictedAs === 0 ? 0 : truePositives / predictedAs,
      recall: support === 0 ? 0 : truePositives / support,
      f1: f1Of(truePositives, predictedAs - truePositives, support - truePositives),
      support,
    };
  });
  const present = Object.values(perClass).filter((metrics) => metrics.support > 0);
  return {
    classes,
    images: labels.length,
    accuracy: labels.length === 0 ? 0 : correct / labels.length,
    macroF1:
      present.length === 0 ? 0 : present.reduce((sum, metrics) => sum + metrics.f1, 0) / present.length,
    confusionMatrix,
    confidenceHistograms,
    perClass,
  };
}

/**
 * Per class c, the threshold t that maximises the F1 of "the most probable class is c and p(c) ≥ t" on the
 * (validation) images, over the confidences that occur (the lowest t on a tie, to keep recall), capped at
 * MAX_THRESHOLD. A class the model never gets right gets MAX_THRESHOLD: its verdicts are not to be trusted. A class
 * with no validation images gets none, so the server's default applies. A verdict below its class's threshold is
 * reported as unconfirmed.
 */
export function chooseThresholds(
  probabilities: readonly number[][],
  labels: readonly number[],
  classes: string[],
): Record<string, number> {
  checkShapes(probabilities, labels, classes);
  const thresholds: Record<string, number> = {};
  classes.forEach((name, c) => {
    const positives = labels.filter((label) => label === c).length;
    if (positives === 0) return;
    let best = { f1: 0, threshold: MAX_THRESHOLD };
    for (const { threshold, truePositives, predicted } of thresholdSweep(probabilities, labels, c)) {
      const f1 = f1Of(truePositives, predicted - truePositives, positives - truePositives);
      if (f1 > 0 && f1 >= best.f1) best = { f1, threshold: Math.min(threshold, MAX_THRESHOLD) };
    }
    thresholds[name] = best.threshold;
  });
  return thresholds;
}

/** One threshold of a sweep: the images "predicted c with p(c) ≥ threshold", and how many of them are of c. */
export interface SweepPoint {
  threshold: number;
  predicted: number;
  truePositives: number;
}

/**
 * Lowers a threshold of class c past each probability at which an image is predicted as c, highest first: each
 * step adds that image as a true or a false positive. Equal probabilities are kept or dropped together (one point).
 */
export function thresholdSweep(
  probabilities: readonly number[][],
  labels: readonly number[],
  classIndex: number,
): SweepPoint[] {
  const predictedC = probabilities
    .map((row, index) => ({ row, actual: labels[index] }))
    .filter(({ row }) => argMax(row) === classIndex)
    .map(({ row, actual }) => ({ probability: row[classIndex] as number, correct: actual === classIndex }))
    .sort((a, b) => b.probability - a.probability);
  const points: SweepPoint[] = [];
  let truePositives = 0;
  predictedC.forEach(({ probability, correct }, index) => {
    if (correct) truePositives++;
    if (predictedC[index + 1]?.probability === probability) return;
    points.push({ threshold: probability, predicted: index + 1, truePositives });
  });
  return points;
}
