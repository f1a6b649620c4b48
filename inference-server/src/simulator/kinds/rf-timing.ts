// RF timing: four detectors' hit times relative to the accelerator RF, one small histogram per pad.

import { binRange, randomWindow, randomWindowBeside } from '../geometry.ts';
import { failureModeNames } from '../labels.ts';
import type { Axis, Histogram1DPad, PlotKind, Region, RegionTable, RunContext } from '../plot-kind.ts';
import { addBeamPeak } from '../peaks.ts';
import type { Peak } from '../peaks.ts';
import type { Random } from '../random.ts';
import { mixture } from './physics.ts';

/** One beam bucket: the RF runs at 249.5 MHz. */
const BUCKET_NS = 4.008;
const DELTA_T: Axis = { title: 'Delta t (ns)', bins: 100, min: -BUCKET_NS / 2, max: BUCKET_NS / 2 };

const detectors = [
  { name: 'rf_tagh', title: 'RF - TAGH', sigma: 0.12, entries: 40000, offset: 0.02 },
  { name: 'rf_sc', title: 'RF - SC', sigma: 0.25, entries: 30000, offset: -0.05 },
  { name: 'rf_tof', title: 'RF - TOF', sigma: 0.1, entries: 50000, offset: 0.01 },
  { name: 'rf_psc', title: 'RF - PSC', sigma: 0.15, entries: 25000, offset: 0.04 },
];

const pads: Histogram1DPad[] = detectors.map((detector) => ({
  name: detector.name,
  title: detector.title,
  draw: 'hist',
  x: DELTA_T,
  yTitle: 'Hits',
}));

function peaks(run: RunContext): Peak[] {
  return detectors.map((detector, pad) => ({
    pad,
    mean: detector.offset + run.timeDrift * detector.sigma,
    sigma: detector.sigma,
    entries: detector.entries * run.luminosity,
  }));
}

function window(rng: Random, width: number): Region {
  return randomWindow(rng, rng.int(detectors.length), width, 0, DELTA_T.bins);
}

/** Bins of the widest peak (±3σ and a drift) around Δt = 0, where a pulser's spike would hide. */
const PEAK_HALF_WIDTH_BINS = Math.ceil(
  (4 * Math.max(...detectors.map((detector) => detector.sigma))) /
    ((DELTA_T.max - DELTA_T.min) / DELTA_T.bins),
);
const PEAK_BINS: [number, number] = [
  DELTA_T.bins / 2 - PEAK_HALF_WIDTH_BINS,
  DELTA_T.bins / 2 + PEAK_HALF_WIDTH_BINS,
];

const regions: RegionTable = {
  // A dead detector leaves its pad empty; a subtle one loses a slice of its time range.
  dead: {
    normal: (rng) => binRange(rng.int(detectors.length), 0, DELTA_T.bins),
    subtle: (rng) => window(rng, 10),
  },
  noise: { normal: (rng) => window(rng, 40), subtle: (rng) => window(rng, 15) },
  // A pulser's spike: in the tails at normal strength, anywhere (under the peak too) when subtle.
  pulser: {
    normal: (rng) => randomWindowBeside(rng, rng.int(detectors.length), 2, [2, DELTA_T.bins - 2], PEAK_BINS),
    subtle: (rng) => window(rng, 1),
  },
};

export const rfTiming: PlotKind = {
  name: 'RF_timing',
  title: 'RF timing',
  description: 'Hit times of four detectors relative to the accelerator RF, on a 2 × 2 canvas.',
  layout: { columns: 2, rows: 2 },
  pads,
  // A timing plot can show every failure mode, the calibration ones included.
  failureModes: failureModeNames,
  peaks,
  expected(run, modifiers) {
    return peaks(run).map((peak) => {
      // Accidentals from other beam buckets are flat; without beam there is no RF correlation at all.
      const contents = mixture(
        DELTA_T.bins,
        modifiers,
        () => 40 * run.luminosity,
        () => 8,
      );
      addBeamPeak(contents, DELTA_T, peak, modifiers);
      return contents;
    });
  },
  regions,
};
