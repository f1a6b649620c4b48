// Seeded random numbers. Every draw in the simulator comes from here, so a seed reproduces a plot exactly.

const UINT32_RANGE = 2 ** 32;
/** Below this mean a Poisson draw inverts the exact CDF; above it, a skew-corrected normal quantile is as good. */
const EXACT_POISSON_MEAN = 40;

/** Hashes the parts (seed, run, plot kind, purpose) into a 32-bit seed: FNV-1a, then murmur3's finalizer. */
export function hashSeed(parts: readonly (string | number)[]): number {
  const text = parts.join('\u001f');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128-bit state, passes PractRand. */
export class Random {
  #a = 0x9e3779b9;
  #b = 0x243f6a88;
  #c = 0xb7e15162;
  #d: number;

  constructor(seed: number) {
    this.#d = seed >>> 0;
    // The first outputs of a freshly seeded sfc32 are correlated with the seed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A generator for one purpose, e.g. `Random.derive(seed, run, 'FCAL_occupancy', 'sampling')`. */
  static derive(...parts: readonly (string | number)[]): Random {
    return new Random(hashSeed(parts));
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in the open interval (0, 1): never 0 or 1, so logarithms and inverse CDFs are safe. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / UINT32_RANGE;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** An integer in [0, count). */
  int(count: number): number {
    return Math.floor(this.uniform() * count);
  }

  /** An integer in [min, max], both included. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick() needs at least one item');
    return item;
  }

  chance(probability: number): boolean {
    return this.uniform() < probability;
  }

  /** Standard normal (Box-Muller; always two uniforms, so the stream stays aligned). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }

  exponential(): number {
    return -Math.log(this.uniform());
  }

  /** Log-normal with mean 1: run-to-run factors such as luminosity. */
  logNormal(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  poisson(mean: number): number {
    return poissonQuantile(mean, this.uniform());
  }
}

/**
 * The Poisson count at cumulative probability `u`. One uniform per count keeps the random stream aligned bin by
 * bin, so two plots sampled from the same seed differ only in the bins whose expectation differs.
 */
export function poissonQuantile(mean: number, u: number): number {
  if (mean <= 0) return 0;
  if (mean >= EXACT_POISSON_MEAN) {
    // Cornish-Fisher: the normal quantile plus the first correction for the Poisson's skew.
    const z = normalQuantile(u);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z + (z * z - 1) / 6));
  }
  let count = 0;
  let probability = Math.exp(-mean);
  let cumulative = probability;
  while (u > cumulative && probability > 0) {
    count++;
    probability *= mean / count;
    cumulative += probability;
  }
  return count;
}

// Acklam's rational approximation of the inverse normal CDF (relative error below 1.2e-9).
const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const ACKLAM_B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const ACKLAM_TAIL = 0.02425;

function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
}

/** Inverse of the standard normal CDF, for u in (0, 1). */
export function normalQuantile(u: number): number {
  if (u < ACKLAM_TAIL) {
    const q = Math.sqrt(-2 * Math.log(u));
    return polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  if (u > 1 - ACKLAM_TAIL) {
    const q = Math.sqrt(-2 * Math.log(1 - u));
    return -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  const q = u - 0.5;
  const r = q * q;
  return (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
