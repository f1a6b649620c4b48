// Failure modes: what goes wrong, with what parameters, and which bins it changes.

import { padNeighbours } from './geometry.ts';
import { binsOverlapping } from './histogram.ts';
import type { Histogram } from './histogram.ts';
import type { FailureModeName } from './labels.ts';
import { peakWindow } from './peaks.ts';
import type { PeakDistortion } from './peaks.ts';
import { nominalConditions } from './plot-kind.ts';
import type {
  ExpectationModifiers,
  PlotKind,
  Region,
  RegionRole,
  RunContext,
  Strength,
} from './plot-kind.ts';
import type { Random } from './random.ts';

type Parameters = Readonly<Record<string, number>>;

export interface FaultContext {
  kind: PlotKind;
  run: RunContext;
  /** The fault's own random stream: where it sits and how its extra hits fall. */
  rng: Random;
  strength: Strength;
  /** Expected counts of the healthy plot, per pad. */
  expected: readonly Float64Array[];
}

export interface FaultEffect {
  /** The bins the fault changes; absent when it changes the whole plot. */
  region?: Region;
  /** Values the fault resolved to (where, how much), for the manifest. */
  details: Record<string, number>;
}

export interface FailureMode {
  name: FailureModeName;
  description: string;
  /** Parameters at each strength; the subtle ones make the hard cases. */
  parameters: Readonly<Record<Strength, Parameters>>;
  /** Changes what the detector is expected to record, before sampling (beam, calibration, statistics). */
  expect?(context: FaultContext): FaultEffect & { expected: Float64Array[] };
  /** Changes what was recorded, after sampling (channels that die, fire or pulse). */
  record?(context: FaultContext, histograms: Histogram[]): FaultEffect;
}

interface FailureModeDefinition<P extends Parameters> {
  description: string;
  parameters: Readonly<Record<Strength, P>>;
  expect?(context: FaultContext, parameters: P): FaultEffect & { expected: Float64Array[] };
  record?(context: FaultContext, histograms: Histogram[], parameters: P): FaultEffect;
}

/** Binds a definition to its typed parameters, so the registry can hold every mode under one type. */
function defineMode<P extends Parameters>(
  name: FailureModeName,
  definition: FailureModeDefinition<P>,
): FailureMode {
  const { expect, record } = definition;
  return {
    name,
    description: definition.description,
    parameters: definition.parameters,
    ...(expect && { expect: (context) => expect(context, definition.parameters[context.strength]) }),
    ...(record && {
      record: (context, histograms) => record(context, histograms, definition.parameters[context.strength]),
    }),
  };
}

function recompute(context: FaultContext, modifiers: Partial<ExpectationModifiers>): Float64Array[] {
  return context.kind.expected(context.run, { ...nominalConditions, ...modifiers });
}

function scaled(expected: readonly Float64Array[], factor: number): Float64Array[] {
  return expected.map((contents) => contents.map((value) => value * factor));
}

function largest(values: Float64Array): number {
  return values.reduce((max, value) => Math.max(max, value), 0);
}

function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function histogramOf(histograms: Histogram[], pad: number): Histogram {
  const histogram = histograms[pad];
  if (histogram === undefined) throw new RangeError(`no pad ${pad}`);
  return histogram;
}

/**
 * Extra hits in a region of the given role: on average `level` × the pad's largest expected count per channel,
 * each channel's mean scaled by `spread()`; the hits themselves are Poisson-distributed.
 */
function addHits(
  context: FaultContext,
  histograms: Histogram[],
  role: RegionRole,
  level: number,
  spread: () => number,
): FaultEffect {
  const region = context.kind.regions[role][context.strength](context.rng);
  const hitsPerChannel = level * largest(context.expected[region.pad] ?? new Float64Array());
  const contents = histogramOf(histograms, region.pad).contents;
  for (const bin of region.bins) {
    contents[bin] = (contents[bin] as number) + context.rng.poisson(hitsPerChannel * spread());
  }
  return { region, details: { pad: region.pad, channels: region.bins.length, hitsPerChannel } };
}

/** A miscalibrated peak: one of the kind's peaks, pushed up or down the axis. */
function distortPeak(
  context: FaultContext,
  distortion: PeakDistortion,
): FaultEffect & { expected: Float64Array[] } {
  const peaks = context.kind.peaks?.(context.run) ?? [];
  const peak = context.rng.pick(peaks);
  const sign = context.rng.chance(0.5) ? 1 : -1;
  const signed = {
    shiftSigma: sign * distortion.shiftSigma,
    echoFraction: distortion.echoFraction,
    echoOffsetSigma: sign * distortion.echoOffsetSigma,
  };
  const pad = context.kind.pads[peak.pad];
  if (pad === undefined || pad.draw === 'cells' || pad.draw === 'colz') {
    throw new TypeError(`${context.kind.name}: peaks must sit on 1D pads`);
  }
  const [low, high] = peakWindow(peak, signed);
  return {
    expected: recompute(context, { peak: { pad: peak.pad, ...signed } }),
    region: { pad: peak.pad, bins: binsOverlapping(pad.x, low, high) },
    details: {
      pad: peak.pad,
      mean: peak.mean,
      sigma: peak.sigma,
      shift: signed.shiftSigma * peak.sigma,
      echoOffset: signed.echoOffsetSigma * peak.sigma,
    },
  };
}

const deadRegion = defineMode('dead-region', {
  description: 'Channels that record nothing: a dead sector, module, board or time window.',
  parameters: { normal: {}, subtle: {} },
  record(context, histograms) {
    const region = context.kind.regions.dead[context.strength](context.rng);
    const contents = histogramOf(histograms, region.pad).contents;
    for (const bin of region.bins) contents[bin] = 0;
    return { region, details: { pad: region.pad, channels: region.bins.length } };
  },
});

const hotChannel = defineMode('hot-channel', {
  description: 'One channel firing `factor` times as often as its neighbours.',
  parameters: { normal: { factor: 20 }, subtle: { factor: 3 } },
  record(context, histograms, { factor }) {
    const pad = context.rng.int(context.kind.pads.length);
    const spec = context.kind.pads[pad];
    const expected = context.expected[pad];
    if (spec === undefined || expected === undefined) throw new RangeError(`no pad ${pad}`);
    // A channel inside the detector, with live neighbours, and at least half as busy as a typical channel.
    const threshold = median(expected.filter((value) => value > 0)) / 2;
    const candidates = Array.from(expected.keys()).filter(
      (bin) =>
        (expected[bin] as number) >= threshold &&
        padNeighbours(spec, bin).every((neighbour) => (expected[neighbour] as number) > 0),
    );
    const bin = context.rng.pick(candidates);
    const contents = histogramOf(histograms, pad).contents;
    const neighbours = padNeighbours(spec, bin);
    const neighbourMean = neighbours.reduce((sum, n) => sum + (contents[n] as number), 0) / neighbours.length;
    contents[bin] = Math.max(contents[bin] as number, Math.ceil(factor * Math.max(1, neighbourMean)) + 1);
    return { region: { pad, bins: [bin] }, details: { pad, channel: bin, neighbourMean } };
  },
});

const noData = defineMode('no-data', {
  description: 'Nothing arrived: an empty plot, or a handful of stray entries.',
  parameters: { normal: { entries: 0 }, subtle: { entries: 8 } },
  expect(context, { entries }) {
    const total = context.expected.reduce((sum, pad) => sum + pad.reduce((a, b) => a + b, 0), 0);
    return { expected: scaled(context.expected, total > 0 ? entries / total : 0), details: {} };
  },
});

const lowStats = defineMode('low-stats', {
  description: 'Too few entries to judge: the run just started, or the beam was mostly off.',
  parameters: { normal: { fraction: 0.01 }, subtle: { fraction: 0.15 } },
  expect: (context, { fraction }) => ({ expected: scaled(context.expected, fraction), details: {} }),
});

const shiftedPeak = defineMode('shifted-peak', {
  description: 'A timing peak moved by `shiftSigma` of its width: a wrong calibration constant.',
  parameters: { normal: { shiftSigma: 3 }, subtle: { shiftSigma: 0.75 } },
  expect: (context, { shiftSigma }) =>
    distortPeak(context, { shiftSigma, echoFraction: 0, echoOffsetSigma: 0 }),
});

const doublePeak = defineMode('double-peak', {
  description: 'A timing peak split in two: `echoFraction` of it sits `echoOffsetSigma` widths away.',
  parameters: {
    normal: { echoFraction: 0.5, echoOffsetSigma: 4 },
    subtle: { echoFraction: 0.2, echoOffsetSigma: 2.5 },
  },
  expect: (context, { echoFraction, echoOffsetSigma }) =>
    distortPeak(context, { shiftSigma: 0, echoFraction, echoOffsetSigma }),
});

const noiseBurst = defineMode('noise-burst', {
  description: 'Random extra hits in a group of channels; `level` is relative to the plot maximum.',
  parameters: { normal: { level: 0.3 }, subtle: { level: 0.05 } },
  // Noise is uneven: each channel's rate is drawn from an exponential.
  record: (context, histograms, { level }) =>
    addHits(context, histograms, 'noise', level, () => context.rng.exponential()),
});

const cosmic = defineMode('cosmic', {
  description:
    'No beam: only cosmic rays, `cosmicScale` times the rate seen during beam (a long cosmic run).',
  parameters: { normal: { cosmicScale: 1 }, subtle: { cosmicScale: 25 } },
  expect: (context, { cosmicScale }) => ({
    expected: recompute(context, { beam: 0, cosmic: cosmicScale }),
    details: {},
  }),
});

const ledPulser = defineMode('led-pulser', {
  description: 'An LED or pulser fires a group of channels evenly; `level` is relative to the plot maximum.',
  parameters: { normal: { level: 0.3 }, subtle: { level: 0.05 } },
  record: (context, histograms, { level }) => addHits(context, histograms, 'pulser', level, () => 1),
});

export const failureModes: Readonly<Record<FailureModeName, FailureMode>> = {
  'dead-region': deadRegion,
  'hot-channel': hotChannel,
  'no-data': noData,
  'low-stats': lowStats,
  'shifted-peak': shiftedPeak,
  'double-peak': doublePeak,
  'noise-burst': noiseBurst,
  cosmic,
  'led-pulser': ledPulser,
};
