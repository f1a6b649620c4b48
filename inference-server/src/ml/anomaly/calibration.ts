// From a plot type's own recent anomaly scores to the threshold that flags a chosen share of its usual images.

/** One false alarm per 1,000 usual images. */
export const DEFAULT_FALSE_ALARM_RATE = 1e-3;
/** Above this many expected alarms among the history, its empirical quantile is the threshold. */
const EMPIRICAL_MIN_ALARMS = 10;
/** Share of the history, highest first, whose excesses over the rest describe the tail. */
const TAIL_FRACTION = 0.2;
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
   * `empirical`: the history's own (1 − rate) quantile, when it holds enough alarms. `pareto-tail`: a rarer rate
   * than the history can show, so the threshold extrapolates a generalised Pareto distribution fitted to the excesses
   * of its top fifth (peaks over a threshold, by probability-weighted moments): its shape follows the tail, heavy or bounded,
   * where an exponential would put the threshold far above a bounded tail and never alarm.
   */
  method: 'empirical' | 'pareto-tail';
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
  const excesses = sorted.filter((score) => score > tailStart).map((score) => score - tailStart);
  return {
    threshold: tailStart + paretoQuantile(excesses, TAIL_FRACTION / targetRate),
    targetRate,
    images,
    method: 'pareto-tail',
  };
}

/**
 * The excess that one in `odds` of the excesses exceeds, by a generalised Pareto distribution fitted to them by
 * probability-weighted moments (Hosking and Wallis, 1987), which stay sound for the bounded tails reconstruction
 * errors often have: from a0, the mean, and a1, the mean weighted by each excess's share of larger ones, the shape is
 * ξ = 2 − a0 / (a0 − 2 a1) and the scale σ = 2 a0 a1 / (a0 − 2 a1); the quantile is σ (odds^ξ − 1) / ξ, or σ ln(odds)
 * (the exponential) as ξ → 0.
 */
function paretoQuantile(excesses: readonly number[], odds: number): number {
  const ascending = [...excesses].sort((a, b) => a - b);
  const n = ascending.length;
  const a0 = ascending.reduce((sum, x) => sum + x, 0) / n;
  const a1 = ascending.reduce((sum, x, i) => sum + ((n - 1 - i) / (n - 1)) * x, 0) / n;
  const denominator = a0 - 2 * a1;
  if (!(denominator > 0)) return ascending[n - 1] ?? 0;
  const shape = 2 - a0 / denominator;
  const scale = (2 * a0 * a1) / denominator;
  return Math.abs(shape) < 1e-6 ? scale * Math.log(odds) : (scale * (odds ** shape - 1)) / shape;
}
