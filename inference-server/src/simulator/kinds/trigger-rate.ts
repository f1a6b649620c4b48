// Level-1 trigger rate over a run: follows the beam current, with its slow wander and occasional beam trips.

import { randomWindow } from '../geometry.ts';
import type { Axis, PlotKind, Region, RegionTable, RunContext } from '../plot-kind.ts';
import type { Random } from '../random.ts';
import { mixture } from './physics.ts';

const TIME: Axis = { title: 'Time since run start (min)', bins: 240, min: 0, max: 120 };
const NOMINAL_RATE_HZ = 42000;
/** A beam trip drops the current for a few samples, then it ramps back. */
const TRIP_RECOVERY = [0.02, 0.02, 0.45, 0.8];

function beamCurrent(run: RunContext): Float64Array {
  const rng = run.random('beam-current');
  const current = new Float64Array(TIME.bins);
  let wander = 0;
  for (let bin = 0; bin < TIME.bins; bin++) {
    wander = 0.97 * wander + 0.006 * rng.normal();
    current[bin] = 1 + wander;
  }
  if (rng.chance(0.35)) {
    const start = rng.int(TIME.bins - TRIP_RECOVERY.length);
    TRIP_RECOVERY.forEach((level, i) => (current[start + i] = level));
  }
  return current;
}

function interval(rng: Random, width: number): Region {
  return randomWindow(rng, 0, width, 0, TIME.bins);
}

const regions: RegionTable = {
  // The trigger stops while the beam is on: a dead crate or a stuck busy.
  dead: {
    normal: (rng) => interval(rng, rng.intBetween(24, 48)),
    subtle: (rng) => interval(rng, rng.intBetween(6, 10)),
  },
  noise: {
    normal: (rng) => interval(rng, rng.intBetween(8, 16)),
    subtle: (rng) => interval(rng, rng.intBetween(3, 5)),
  },
  // A pulser left on adds a constant rate.
  pulser: {
    normal: (rng) => interval(rng, rng.intBetween(40, 80)),
    subtle: (rng) => interval(rng, rng.intBetween(20, 40)),
  },
};

export const triggerRate: PlotKind = {
  name: 'L1_trigger_rate',
  title: 'L1 trigger rate',
  description: 'Level-1 trigger rate during a two-hour run, sampled every 30 s.',
  layout: { columns: 1, rows: 1 },
  pads: [{ name: 'l1_rate', title: 'L1 trigger rate', draw: 'graph', x: TIME, yTitle: 'Rate (Hz)' }],
  failureModes: ['dead-region', 'hot-channel', 'no-data', 'noise-burst', 'cosmic', 'led-pulser'],
  expected(run, modifiers) {
    const current = beamCurrent(run);
    return [
      mixture(
        TIME.bins,
        modifiers,
        (bin) => NOMINAL_RATE_HZ * run.luminosity * (current[bin] as number),
        () => 35,
      ),
    ];
  },
  regions,
};
