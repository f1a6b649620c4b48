// What a version's thresholds and probabilities mean on a labeled split, recomputed as an expert moves a threshold:
// the Library page bundles this file (as `@hydra/inference-server/metrics`), so it imports nothing from Node or
// TensorFlow.js, and the server and the page compute the same numbers.

import { argMax, checkShapes, f1Of, thresholdSweep } from './evaluate.ts';

export interface ThresholdClassMetrics {
  /** Of the images confirmed as this class, the share that are of it. */
  precision: number;
  /** Of the images of this class, the share confirmed as it. */
  recall: number;
  f1: number;
  /** Of the images predicted as this class, the share whose probability reaches its threshold. */
  confirmedFraction: number;
}

export interface ThresholdMetrics {
  perClass: Record<string, ThresholdClassMetrics>;
  /** Of all images, the share whose verdict is confirmed. */
  confirmedFraction: number;
}

export interface PrecisionRecallPoint {
  threshold: number;
  precision: number;
  recall: number;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  /** Mean confidence of the bin's images (the bin's middle when it is empty). */
  confidence: number;
  /** Share of the bin's images whose predicted class is right (0 when it is empty). */
  accuracy: number;
  count: number;
}

export interface ReliabilityDiagram {
  bins: ReliabilityBin[];
  /** Expected calibration error: the count-weighted mean of |accuracy − confidence| over the bins. */
  ece: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * Per class, precision, recall and F1 of the confirmed verdicts, as `decideVerdict` rules them: an image is confirmed
 * as its most probable class when that probability reaches the class's threshold (a class without one confirms
 * everything). An unconfirmed image counts for no class.
 */
export function thresholdMetrics(
  probabilities: readonly number[][],
  labels: readonly number[],
  classes: string[],
  thresholds: Record<string, number>,
): ThresholdMetrics {
  checkShapes(probabilities, labels, classes);
  const counts = classes.map(() => ({ support: 0, predicted: 0, confirmed: 0, truePositives: 0 }));
  let confirmedImages = 0;
  probabilities.forEach((row, index) => {
    const actual = labels[index] as number;
    const predicted = argMax(row);
    counts[actual]!.support++;
    const of = counts[predicted]!;
    of.predicted++;
    if ((row[predicted] as number) < (thresholds[classes[predicted]!] ?? 0)) return;
    confirmedImages++;
    of.confirmed++;
    if (predicted === actual) of.truePositives++;
  });
  const perClass: Record<string, ThresholdClassMetrics> = {};
  classes.forEach((name, c) => {
    const { support, predicted, confirmed, truePositives } = counts[c]!;
    perClass[name] = {
      precision: ratio(truePositives, confirmed),
      recall: ratio(truePositives, support),
      f1: f1Of(truePositives, confirmed - truePositives, support - truePositives),
      confirmedFraction: ratio(confirmed, predicted),
    };
  });
  return { perClass, confirmedFraction: ratio(confirmedImages, labels.length) };
}

/**
 * Precision and recall of "the most probable class is c and p(c) ≥ t", for every t at which an image is predicted
 * as c, highest first (equal probabilities make one point: they pass a threshold together).
 */
export function precisionRecallCurve(
  probabilities: readonly number[][],
  labels: readonly number[],
  classIndex: number,
): PrecisionRecallPoint[] {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`${probabilities.length} probability rows for ${labels.length} labels`);
  }
  const positives = labels.filter((label) => label === classIndex).length;
  return thresholdSweep(probabilities, labels, classIndex).map(({ threshold, predicted, truePositives }) => ({
    threshold,
    precision: truePositives / predicted,
    recall: ratio(truePositives, positives),
  }));
}

/**
 * The predicted class's probability against how often it is right, in `bins` equal bins of [0, 1] (a probability of 1
 * falls in the last), and the expected calibration error over all images.
 */
export function reliabilityDiagram(
  probabilities: readonly number[][],
  labels: readonly number[],
  bins = 10,
): ReliabilityDiagram {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`${probabilities.length} probability rows for ${labels.length} labels`);
  }
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, not ${bins}`);
  const sums = Array.from({ length: bins }, () => ({ confidence: 0, correct: 0, count: 0 }));
  probabilities.forEach((row, index) => {
    const predicted = argMax(row);
    const confidence = row[predicted] as number;
    const bin = sums[Math.min(bins - 1, Math.floor(confidence * bins))]!;
    bin.confidence += confidence;
    bin.correct += predicted === labels[index] ? 1 : 0;
    bin.count++;
  });
  let ece = 0;
  const diagram = sums.map(({ confidence, correct, count }, index): ReliabilityBin => {
    const from = index / bins;
    const to = (index + 1) / bins;
    const mean = count === 0 ? (from + to) / 2 : confidence / count;
    const accuracy = ratio(correct, count);
    ece += ratio(count, labels.length) * Math.abs(accuracy - mean);
    return { from, to, confidence: mean, accuracy, count };
  });
  return { bins: diagram, ece };
}
