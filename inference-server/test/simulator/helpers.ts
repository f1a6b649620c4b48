// Measures shared by the simulator tests.

import type { GeneratedPlot } from '../../src/simulator/index.ts';

export function totalEntries(plot: GeneratedPlot): number {
  return plot.histograms.reduce((sum, histogram) => sum + histogram.entries, 0);
}

/** Hellinger distance between two plots' normalised contents: 0 for the same shape, 1 for disjoint ones. */
export function shapeDistance(a: GeneratedPlot, b: GeneratedPlot): number {
  const first = a.histograms.flatMap((histogram) => [...histogram.contents]);
  const second = b.histograms.flatMap((histogram) => [...histogram.contents]);
  const sumA = first.reduce((sum, value) => sum + value, 0);
  const sumB = second.reduce((sum, value) => sum + value, 0);
  const overlap = first.reduce(
    (sum, value, i) => sum + Math.sqrt((value / sumA) * ((second[i] as number) / sumB)),
    0,
  );
  return Math.sqrt(Math.max(0, 1 - overlap));
}
