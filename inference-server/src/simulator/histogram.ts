// Binned counts in the manner of ROOT's TH1 and TH2. Contents are unit-weight counts, so entries = integral.

export interface Binning {
  bins: number;
  min: number;
  max: number;
}

export function binWidth(binning: Binning): number {
  return (binning.max - binning.min) / binning.bins;
}

export function binLowEdge(binning: Binning, bin: number): number {
  return binning.min + bin * binWidth(binning);
}

export function binCenter(binning: Binning, bin: number): number {
  return binning.min + (bin + 0.5) * binWidth(binning);
}

/** Bins that overlap [low, high], clipped to the axis. */
export function binsOverlapping(binning: Binning, low: number, high: number): number[] {
  const width = binWidth(binning);
  const first = Math.max(0, Math.floor((low - binning.min) / width));
  const last = Math.min(binning.bins - 1, Math.ceil((high - binning.min) / width) - 1);
  const bins: number[] = [];
  for (let bin = first; bin <= last; bin++) bins.push(bin);
  return bins;
}

interface Moments {
  mean: number;
  rms: number;
}

function moments(
  weights: (index: number) => number,
  count: number,
  position: (index: number) => number,
): Moments {
  let sum = 0;
  let sumX = 0;
  let sumXX = 0;
  for (let i = 0; i < count; i++) {
    const weight = weights(i);
    const x = position(i);
    sum += weight;
    sumX += weight * x;
    sumXX += weight * x * x;
  }
  if (sum === 0) return { mean: 0, rms: 0 };
  const mean = sumX / sum;
  return { mean, rms: Math.sqrt(Math.max(0, sumXX / sum - mean * mean)) };
}

function total(contents: Float64Array): number {
  let sum = 0;
  for (const value of contents) sum += value;
  return sum;
}

function maximum(contents: Float64Array): number {
  let max = 0;
  for (const value of contents) max = Math.max(max, value);
  return max;
}

export class Histogram1D {
  readonly dimension = 1;
  readonly contents: Float64Array;

  constructor(
    readonly name: string,
    readonly x: Binning,
    contents?: Float64Array,
  ) {
    this.contents = contents ?? new Float64Array(x.bins);
  }

  get entries(): number {
    return total(this.contents);
  }

  get maximum(): number {
    return maximum(this.contents);
  }

  /** Mean and RMS of x, as ROOT computes them from bin centres. */
  moments(): Moments {
    return moments(
      (i) => this.contents[i] as number,
      this.contents.length,
      (i) => binCenter(this.x, i),
    );
  }
}

/** Contents are flat: rows of x bins, from the lowest y up. */
export class Histogram2D {
  readonly dimension = 2;
  readonly contents: Float64Array;

  constructor(
    readonly name: string,
    readonly x: Binning,
    readonly y: Binning,
    contents?: Float64Array,
  ) {
    this.contents = contents ?? new Float64Array(x.bins * y.bins);
  }

  get entries(): number {
    return total(this.contents);
  }

  get maximum(): number {
    return maximum(this.contents);
  }

  momentsX(): Moments {
    return moments(
      (i) => this.contents[i] as number,
      this.contents.length,
      (i) => binCenter(this.x, i % this.x.bins),
    );
  }

  momentsY(): Moments {
    return moments(
      (i) => this.contents[i] as number,
      this.contents.length,
      (i) => binCenter(this.y, Math.floor(i / this.x.bins)),
    );
  }
}

export type Histogram = Histogram1D | Histogram2D;
