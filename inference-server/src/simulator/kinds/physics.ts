// Shared pieces of the expected distributions: channel gains and the beam plus cosmic-ray mixture.

import type { ExpectationModifiers, RunContext } from '../plot-kind.ts';

/** Fixed channel-to-channel gain spread of the detector, and the common drift plus a small jitter of this run. */
export function channelGains(run: RunContext, count: number, spread: number): Float64Array {
  const detector = run.detector('channel-gains');
  const jitter = run.random('channel-gains');
  const gains = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    gains[i] = Math.max(0, 1 + spread * detector.normal() + run.gainDrift + 0.01 * jitter.normal());
  }
  return gains;
}

/** Expected counts per bin: the beam component, and the cosmic rays that arrive with or without beam. */
export function mixture(
  count: number,
  modifiers: ExpectationModifiers,
  beam: (bin: number) => number,
  cosmic: (bin: number) => number,
): Float64Array {
  const expected = new Float64Array(count);
  for (let bin = 0; bin < count; bin++) {
    expected[bin] = modifiers.beam * beam(bin) + modifiers.cosmic * cosmic(bin);
  }
  return expected;
}

/** Azimuth of channel `index` of `count` channels spread evenly around a circle, from the +x axis. */
export function azimuth(index: number, count: number): number {
  return (2 * Math.PI * (index + 0.5)) / count;
}
