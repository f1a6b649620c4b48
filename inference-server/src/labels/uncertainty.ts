/** How unsure a classifier's probabilities are: what the labeler's active-learning sorts rank by. */
export interface Uncertainty {
  /** Top-1 minus top-2 probability (top-1 itself with a single class). */
  margin: number;
  /** Shannon entropy in nats. */
  entropy: number;
}

export function uncertaintyOf(probabilities: Record<string, number>): Uncertainty {
  const values = Object.values(probabilities).sort((a, b) => b - a);
  const margin = (values[0] ?? 0) - (values[1] ?? 0);
  const entropy = values.reduce((sum, p) => (p > 0 ? sum - p * Math.log(p) : sum), 0);
  return { margin, entropy };
}
