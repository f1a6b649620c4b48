/**
 * The area under the ROC curve of scores that should be higher for `positives` than for `negatives`: the chance that
 * a random positive outscores a random negative (ties count half). Mann–Whitney, by ranks: n log n.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) {
    throw new RangeError('ROC AUC needs at least one positive and one negative score');
  }
  const all = [
    ...positives.map((score) => ({ score, positive: true })),
    ...negatives.map((score) => ({ score, positive: false })),
  ].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let start = 0; start < all.length;) {
    let end = start;
    while (end + 1 < all.length && all[end + 1]!.score === all[start]!.score) end++;
    // Tied scores share the mean of their 1-based ranks.
    const rank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index++) if (all[index]!.positive) rankSum += rank;
    start = end + 1;
  }
  const n = positives.length;
  return (rankSum - (n * (n + 1)) / 2) / (n * negatives.length);
}
