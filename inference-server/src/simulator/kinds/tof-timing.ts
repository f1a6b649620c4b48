// Time-of-flight hit times relative to the trigger: a prompt peak over a flat background of accidentals.

import { randomWindow, randomWindowBeside, randomWindowOver } from '../geometry.ts';
import { binCenter } from '../histogram.ts';
import { failureModeNames } from '../labels.ts';
import type { Axis, PlotKind, Region, RegionTable, RunContext } from '../plot-kind.ts';
import { addBeamPeak } from '../peaks.ts';
import type { Peak } from '../peaks.ts';
import type { Random } from '../random.ts';
import { mixture } from './physics.ts';

const TIME: Axis = { title: 't_hit - t_trigger (ns)', bins: 200, min: -100, max: 300 };
const PROMPT_TIME_NS = 62;
const PROMPT_SIGMA_NS = 4.5;
/** Faults stay clear of the outermost bins, where a real timing window ends anyway. */
const MARGIN_BINS = 10;
/** The prompt peak's bins, ±3σ and a drift: the accidentals beside it are a hundred times lower. */
const PROMPT_BINS: [number, number] = [
  Math.floor((PROMPT_TIME_NS - 4 * PROMPT_SIGMA_NS - TIME.min) / ((TIME.max - TIME.min) / TIME.bins)),
  Math.ceil((PROMPT_TIME_NS + 4 * PROMPT_SIGMA_NS - TIME.min) / ((TIME.max - TIME.min) / TIME.bins)),
];
const FAULT_BINS: [number, number] = [MARGIN_BINS, TIME.bins - MARGIN_BINS];

function promptPeak(run: RunContext): Peak {
  const sigma = PROMPT_SIGMA_NS * (1 + 0.03 * run.random('resolution').normal());
  return { pad: 0, mean: PROMPT_TIME_NS + run.timeDrift * sigma, sigma, entries: 90000 * run.luminosity };
}

function window(rng: Random, width: number): Region {
  return randomWindow(rng, 0, width, MARGIN_BINS, TIME.bins - MARGIN_BINS);
}

const regions: RegionTable = {
  // A gap in the TDC window. A gap among the accidentals alone cannot be seen on a linear scale, so a normal one
  // takes a bite out of the prompt peak; a subtle one can fall anywhere.
  dead: {
    normal: (rng) => randomWindowOver(rng, 0, rng.intBetween(24, 34), PROMPT_BINS, 6),
    subtle: (rng) => window(rng, rng.intBetween(5, 8)),
  },
  noise: {
    normal: (rng) => window(rng, rng.intBetween(50, 70)),
    subtle: (rng) => window(rng, rng.intBetween(20, 30)),
  },
  // A pulser fires at one fixed time: beside the prompt peak at normal strength, anywhere when subtle.
  pulser: {
    normal: (rng) => randomWindowBeside(rng, 0, 2, FAULT_BINS, PROMPT_BINS),
    subtle: (rng) => window(rng, 1),
  },
};

export const tofTiming: PlotKind = {
  name: 'TOF_timing',
  title: 'TOF timing',
  description: 'Time-of-flight hit times relative to the trigger: the prompt peak over flat accidentals.',
  layout: { columns: 1, rows: 1 },
  pads: [{ name: 'tof_hit_time', title: 'TOF hit time', draw: 'hist', x: TIME, yTitle: 'Hits / 2 ns' }],
  // A timing plot can show every failure mode, the calibration ones included.
  failureModes: failureModeNames,
  peaks: (run) => [promptPeak(run)],
  expected(run, modifiers) {
    const contents = mixture(
      TIME.bins,
      modifiers,
      // Accidentals rise slowly across the window.
      (bin) => 60 * run.luminosity * (1 + (0.2 * (binCenter(TIME, bin) - TIME.min)) / (TIME.max - TIME.min)),
      // Cosmic muons trigger themselves: a broad, late bump over a low flat floor.
      (bin) => 3 + 50 * Math.exp(-0.5 * ((binCenter(TIME, bin) - 140) / 30) ** 2),
    );
    addBeamPeak(contents, TIME, promptPeak(run), modifiers);
    return [contents];
  },
  regions,
};
