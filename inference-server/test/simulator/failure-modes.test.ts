// Each failure mode changes the histograms the way it claims, and only inside the region it reports.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { failureModes, generatePlot, labelFor, plotKinds, strengths } from '../../src/simulator/index.ts';
import type { FailureModeName, GeneratedPlot, PlotKind, Strength } from '../../src/simulator/index.ts';
import { padNeighbours } from '../../src/simulator/geometry.ts';
import { binCenter } from '../../src/simulator/histogram.ts';
import type { Histogram1D } from '../../src/simulator/histogram.ts';
import type { Region } from '../../src/simulator/plot-kind.ts';
import { normalCdf } from '../../src/simulator/random.ts';
import { shapeDistance, totalEntries } from './helpers.ts';

const SEED = 11;
const RUN = 130001;

interface Case {
  kind: PlotKind;
  strength: Strength;
  clean: GeneratedPlot;
  faulty: GeneratedPlot;
  parameters: Readonly<Record<string, number>>;
  details: Record<string, number>;
}

function regionOf(faulty: GeneratedPlot): Region {
  assert.ok(faulty.region, 'the fault reports its region');
  return faulty.region;
}

/** Every bin outside the region holds exactly what the healthy plot holds. */
function assertUnchangedOutside({ clean, faulty }: Case, region: Region): void {
  const inside = new Set(region.bins);
  clean.histograms.forEach((histogram, pad) => {
    const after = (faulty.histograms[pad] as typeof histogram).contents;
    histogram.contents.forEach((before, bin) => {
      if (pad !== region.pad || !inside.has(bin))
        assert.equal(after[bin], before, `pad ${pad} bin ${bin} changed`);
    });
  });
}

function padContents(plot: GeneratedPlot, pad: number): Float64Array {
  return (plot.histograms[pad] as Histogram1D).contents;
}

/** Peak counts in the fault's window: contents minus the flat background of the bins beside the window. */
function peakExcess(plot: GeneratedPlot, region: Region): { x: number[]; excess: number[] } {
  const histogram = plot.histograms[region.pad] as Histogram1D;
  const first = region.bins[0] as number;
  const last = region.bins[region.bins.length - 1] as number;
  const sidebands = [...Array(8).keys()]
    .flatMap((i) => [first - 1 - i, last + 1 + i])
    .filter((bin) => bin >= 0 && bin < histogram.x.bins);
  const background =
    sidebands.reduce((sum, bin) => sum + (histogram.contents[bin] as number), 0) / sidebands.length;
  return {
    x: region.bins.map((bin) => binCenter(histogram.x, bin)),
    excess: region.bins.map((bin) => (histogram.contents[bin] as number) - background),
  };
}

function weightedMean(x: number[], weights: number[]): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  return x.reduce((acc, value, i) => acc + value * (weights[i] as number), 0) / sum;
}

const checks: Record<FailureModeName, (c: Case) => void> = {
  'dead-region': (c) => {
    const region = regionOf(c.faulty);
    const contents = padContents(c.faulty, region.pad);
    for (const bin of region.bins) assert.equal(contents[bin], 0, `bin ${bin} is not dead`);
    assert.ok(
      region.bins.some((bin) => (padContents(c.clean, region.pad)[bin] as number) > 0),
      'region had hits',
    );
    assertUnchangedOutside(c, region);
  },

  'hot-channel': (c) => {
    const region = regionOf(c.faulty);
    assert.equal(region.bins.length, 1);
    const bin = region.bins[0] as number;
    const contents = padContents(c.faulty, region.pad);
    const neighbours = padNeighbours(c.kind.pads[region.pad]!, bin);
    const neighbourMean = neighbours.reduce((sum, n) => sum + (contents[n] as number), 0) / neighbours.length;
    assert.ok(neighbours.length > 0);
    assert.ok(
      (contents[bin] as number) > c.parameters.factor! * neighbourMean,
      `${contents[bin]} vs ${neighbourMean}`,
    );
    assertUnchangedOutside(c, region);
  },

  'no-data': (c) => {
    if (c.strength === 'normal') assert.equal(totalEntries(c.faulty), 0);
    else assert.ok(totalEntries(c.faulty) <= 30, `${totalEntries(c.faulty)} stray entries`);
    assert.equal(c.faulty.region, undefined);
  },

  'low-stats': (c) => {
    const ratio = totalEntries(c.faulty) / totalEntries(c.clean);
    assert.ok(Math.abs(ratio / c.parameters.fraction! - 1) < 0.1, `kept ${ratio} of the entries`);
    // Fewer entries of the same distribution, never more in any bin.
    c.clean.histograms.forEach((histogram, pad) =>
      histogram.contents.forEach((before, bin) =>
        assert.ok((c.faulty.histograms[pad]!.contents[bin] as number) <= before),
      ),
    );
  },

  'shifted-peak': (c) => {
    const region = regionOf(c.faulty);
    const before = peakExcess(c.clean, region);
    const after = peakExcess(c.faulty, region);
    const moved = weightedMean(after.x, after.excess) - weightedMean(before.x, before.excess);
    const { shift, sigma } = c.details as { shift: number; sigma: number };
    assert.ok(Math.abs(Math.abs(shift / sigma) - c.parameters.shiftSigma!) < 1e-9);
    assert.ok(Math.abs(moved - shift) < 0.1 * sigma, `moved ${moved}, set ${shift} (sigma ${sigma})`);
    assertUnchangedOutside(c, region);
  },

  'double-peak': (c) => {
    const region = regionOf(c.faulty);
    const { x, excess } = peakExcess(c.faulty, region);
    const { mean, echoOffset, sigma } = c.details as { mean: number; echoOffset: number; sigma: number };
    // The share of the peak beyond the midpoint between the two peaks, against what the two Gaussians put there.
    const midpoint = mean + echoOffset / 2;
    const beyond = (value: number) => (echoOffset > 0 ? value > midpoint : value < midpoint);
    const all = excess.reduce((sum, value) => sum + value, 0);
    const far = excess.reduce((sum, value, i) => sum + (beyond(x[i] as number) ? value : 0), 0);
    const tail = 1 - normalCdf(Math.abs(echoOffset) / (2 * sigma));
    const fraction = c.parameters.echoFraction!;
    const expected = (1 - fraction) * tail + fraction * (1 - tail);
    assert.ok(
      Math.abs(far / all - expected) < 0.05,
      `${far / all} of the peak beyond the midpoint, ${expected} set`,
    );
    assertUnchangedOutside(c, region);
  },

  'noise-burst': (c) => {
    const region = regionOf(c.faulty);
    const before = padContents(c.clean, region.pad);
    const after = padContents(c.faulty, region.pad);
    const added = region.bins.reduce((sum, bin) => sum + (after[bin] as number) - (before[bin] as number), 0);
    assert.ok(region.bins.every((bin) => (after[bin] as number) >= (before[bin] as number)));
    assert.ok(added > 0.2 * c.details.hitsPerChannel! * region.bins.length, `${added} hits added`);
    assertUnchangedOutside(c, region);
  },

  cosmic: (c) => {
    // No beam: the shape moves much further than from one healthy run to the next, or a rate falls far below.
    const nextRun = generatePlot({ kind: c.kind, seed: SEED, run: RUN + 1 });
    const distance = shapeDistance(c.clean, c.faulty);
    const fallen = totalEntries(c.faulty) < totalEntries(c.clean) / 10;
    assert.ok(
      distance > 3 * shapeDistance(c.clean, nextRun) || fallen,
      `shape distance ${distance}, ${totalEntries(c.faulty)} vs ${totalEntries(c.clean)}`,
    );
    assert.equal(c.faulty.region, undefined);
  },

  'led-pulser': (c) => {
    const region = regionOf(c.faulty);
    const before = padContents(c.clean, region.pad);
    const after = padContents(c.faulty, region.pad);
    const perChannel = c.details.hitsPerChannel!;
    const added = region.bins.map((bin) => (after[bin] as number) - (before[bin] as number));
    const mean = added.reduce((sum, value) => sum + value, 0) / added.length;
    // The same number of pulses in every channel: only Poisson spread around it.
    assert.ok(
      Math.abs(mean - perChannel) < 5 * Math.sqrt(perChannel / added.length) + 1,
      `${mean} vs ${perChannel}`,
    );
    for (const value of added) assert.ok(Math.abs(value - perChannel) < 6 * Math.sqrt(perChannel) + 3);
    assertUnchangedOutside(c, region);
  },
};

describe('failure modes change the histograms as they claim', () => {
  for (const kind of plotKinds) {
    describe(kind.name, () => {
      const clean = generatePlot({ kind, seed: SEED, run: RUN });
      for (const mode of kind.failureModes) {
        for (const strength of strengths) {
          it(`${mode} (${strength})`, () => {
            const faulty = generatePlot({ kind, seed: SEED, run: RUN, fault: { mode, strength } });
            assert.equal(faulty.label, labelFor(mode));
            assert.ok(faulty.fault);
            const parameters = failureModes[mode].parameters[strength];
            checks[mode]({ kind, strength, clean, faulty, parameters, details: faulty.fault.details });
          });
        }
      }
      it('refuses a failure mode it cannot show', () => {
        const unsupported = (Object.keys(checks) as FailureModeName[]).find(
          (mode) => !kind.failureModes.includes(mode),
        );
        if (unsupported !== undefined) {
          assert.throws(() =>
            generatePlot({ kind, seed: SEED, run: RUN, fault: { mode: unsupported, strength: 'normal' } }),
          );
        }
      });
    });
  }
});
