import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import {
  chooseFault,
  generatePlot,
  plotKinds,
  simulatePlot,
  simulateRun,
} from '../../src/simulator/index.ts';
import type { FaultRequest, GeneratedPlot, PlotKind } from '../../src/simulator/index.ts';
import { shapeDistance, totalEntries } from './helpers.ts';

const sha256 = (png: Buffer): string => createHash('sha256').update(png).digest('hex');

function someFault(kind: PlotKind): FaultRequest {
  return { mode: kind.failureModes[0] ?? 'no-data', strength: 'subtle' };
}

describe('a seed reproduces a plot', () => {
  for (const kind of plotKinds) {
    it(`${kind.name}: the same seed gives the same bytes, another seed other bytes`, async () => {
      const options = { kind, seed: 21, run: 150003, fault: someFault(kind) };
      const first = await simulatePlot(options);
      const second = await simulatePlot(options);
      assert.ok(first.png.equals(second.png));
      assert.deepEqual(first.bbox, second.bbox);
      const other = await simulatePlot({ ...options, seed: 22 });
      assert.ok(!first.png.equals(other.png));
    });
  }

  it('gives the same bytes in a fresh process, whose text cache starts empty', async () => {
    const kind = plotKinds[0] as PlotKind;
    const options = { kind: kind.name, seed: 3, run: 150004 };
    const script =
      `const { simulatePlot } = await import(${JSON.stringify(new URL('../../src/simulator/index.ts', import.meta.url).href)});` +
      `const { createHash } = await import('node:crypto');` +
      `const plot = await simulatePlot(${JSON.stringify(options)});` +
      `console.log(createHash('sha256').update(plot.png).digest('hex'));`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
    ]);
    assert.equal(stdout.trim(), sha256((await simulatePlot(options)).png));
  });
});

describe('runs vary as real runs do', () => {
  for (const kind of plotKinds) {
    it(`${kind.name}: statistics change from run to run, the shape stays`, () => {
      const runs = [160001, 160002, 160003].map((run) => generatePlot({ kind, seed: 1, run }));
      const entries = runs.map(totalEntries);
      assert.equal(new Set(entries).size, entries.length);
      const spread = (Math.max(...entries) - Math.min(...entries)) / Math.min(...entries);
      assert.ok(spread > 0.01, `entries ${entries.join(', ')}`);
      // Drifts move a narrow peak by a fraction of its width, and a beam trip dents a rate: well below a fault.
      const [first, second, third] = runs as [GeneratedPlot, GeneratedPlot, GeneratedPlot];
      assert.ok(shapeDistance(first, second) < 0.15);
      assert.ok(shapeDistance(second, third) < 0.15);
    });
  }
});

describe('choosing faults for a run', () => {
  it('gives the requested share of plots a fault, from the requested modes', () => {
    const choice = { badRate: 0.3, modes: ['dead-region', 'cosmic'] as const, subtleRate: 0.5 };
    const faults = plotKinds.flatMap((kind) =>
      Array.from({ length: 200 }, (_, run) => chooseFault(9, run, kind, choice)),
    );
    const bad = faults.filter((fault) => fault !== undefined);
    assert.ok(Math.abs(bad.length / faults.length - 0.3) < 0.05, `${bad.length} of ${faults.length}`);
    assert.ok(bad.every((fault) => choice.modes.includes(fault.mode as 'dead-region' | 'cosmic')));
    const subtle = bad.filter((fault) => fault.strength === 'subtle').length;
    assert.ok(Math.abs(subtle / bad.length - 0.5) < 0.1);
  });

  it('simulates a run the same way twice', async () => {
    const options = { run: 170000, seed: 4, badRate: 0.5, kinds: ['TOF_timing', 'SC_occupancy'] };
    const [first, second] = [await simulateRun(options), await simulateRun(options)];
    assert.deepEqual(
      first.map((plot) => [plot.kind, plot.label, plot.fault?.mode, sha256(plot.png)]),
      second.map((plot) => [plot.kind, plot.label, plot.fault?.mode, sha256(plot.png)]),
    );
  });
});
