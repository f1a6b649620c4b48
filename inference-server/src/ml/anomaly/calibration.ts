// From a plot type's own recent anomaly scores to the threshold that flags a chosen share of its usual images.

/** One false alarm per 1,000 usual images. */
export const DEFAULT_FALSE_ALARM_RATE = 1e-3;
/** Above this many expected alarms among the history, its empirical quantile is the threshold. */
const EMPIRICAL_MIN_ALARMS = 10;
/** Share of the history, highest first, whose excesses over the rest describe the tail. */
const TAIL_FRACTION = 0.1;
/** The fewest tail scores an exponential tail is fitted to. */
const MIN_TAIL = 10;

export interface Calibration {
  /** An image whose anomaly score exceeds it is anomalous. */
  threshold: number;
  /** The false-alarm rate the threshold was chosen for. */
  targetRate: number;
  /** How many scores of the history it was chosen on. */
  images: number;
  /**
   * `empirical`: the history's own (1 − rate) quantile, when it holds enough alarms. `exponential-tail`: a rarer rate
   * than the history can show, so the threshold extrapolates an exponential fitted to its top tenth (peaks over a
   * threshold).
   */
  method: 'empirical' | 'exponential-tail';
}

/** The score that `share` of the sorted (ascending) scores exceed, interpolated between neighbours. */
function upperQuantile(sorted: readonly number[], share: number): number {
  const position = (1 - share) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return sorted[below]! * (1 - fraction) + sorted[above]! * fraction;
}

/** Chooses the threshold for `targetRate` (0 < rate < 1) on the scores of a plot type's recent images. */
export function calibrateThreshold(
  scores: readonly number[],
  targetRate = DEFAULT_FALSE_ALARM_RATE,
): Calibration {
  if (!(targetRate > 0 && targetRate < 1)) {
    throw new RangeError(`the target false-alarm rate must be between 0 and 1, not ${targetRate}`);
  }
  const minimum = Math.ceil(MIN_TAIL / TAIL_FRACTION);
  if (scores.length < minimum) {
    throw new RangeError(
      `calibration needs the scores of at least ${minimum} recent images of the plot type, not ${scores.length}`,
    );
  }
  const sorted = [...scores].sort((a, b) => a - b);
  const images = sorted.length;
  if (images * targetRate >= EMPIRICAL_MIN_ALARMS) {
    return { threshold: upperQuantile(sorted, targetRate), targetRate, images, method: 'empirical' };
  }
  const tailStart = upperQuantile(sorted, TAIL_FRACTION);
  const tail = sorted.filter((score) => score > tailStart);
  const meanExcess = tail.reduce((sum, score) => sum + (score - tailStart), 0) / Math.max(1, tail.length);
  return {
    threshold: tailStart + meanExcess * Math.log(TAIL_FRACTION / targetRate),
    targetRate,
    images,
    method: 'exponential-tail',
  };
}
