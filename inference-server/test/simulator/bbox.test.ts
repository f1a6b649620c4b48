// The manifest's bounding box covers every pixel a fault changes: a clean and a faulty plot from the same seed,
// drawn on the same axes, differ only inside it (and in the stats box, whose numbers follow the histogram).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';

import { generatePlot, plotKinds, renderPlot, simulatePlot, strengths } from '../../src/simulator/index.ts';
import type { Box, FailureModeName } from '../../src/simulator/index.ts';

const SEED = 5;
const RUN = 140002;
/** Modes that change part of a plot; the others change all of it and report no box. */
const localModes: FailureModeName[] = [
  'dead-region',
  'hot-channel',
  'shifted-peak',
  'double-peak',
  'noise-burst',
  'led-pulser',
];

function contains(box: Box, x: number, y: number, margin = 0): boolean {
  return (
    x >= box.x - margin &&
    x < box.x + box.width + margin &&
    y >= box.y - margin &&
    y < box.y + box.height + margin
  );
}

/**
 * Cairo rasterises a path as a whole, so changing one point of a long polyline can move anti-aliasing elsewhere
 * on it by a level or two; a change that anyone (or any model) could see is larger.
 */
const VISIBLE_CHANGE = 8;

function visiblyDifferent(before: Buffer, after: Buffer, offset: number): boolean {
  for (let channel = offset; channel < offset + 3; channel++) {
    if (Math.abs((before[channel] as number) - (after[channel] as number)) > VISIBLE_CHANGE) return true;
  }
  return false;
}

async function pixels(png: Buffer): Promise<Buffer> {
  return sharp(png).removeAlpha().raw().toBuffer();
}

describe('bounding boxes cover the changed pixels', () => {
  for (const kind of plotKinds) {
    for (const mode of localModes.filter((m) => kind.failureModes.includes(m))) {
      for (const strength of strengths) {
        it(`${kind.name}: ${mode} (${strength})`, async () => {
          const clean = generatePlot({ kind, seed: SEED, run: RUN });
          const faulty = generatePlot({ kind, seed: SEED, run: RUN, fault: { mode, strength } });
          assert.ok(faulty.region);
          const cleanImage = await renderPlot(kind, clean.histograms);
          const faultyImage = await renderPlot(kind, faulty.histograms, { scale: cleanImage.scale });
          const bbox = faultyImage.regionBox(faulty.region);
          assert.ok(bbox);

          const before = await pixels(cleanImage.png);
          const after = await pixels(faultyImage.png);
          let inside = 0;
          for (let y = 0; y < faultyImage.height; y++) {
            for (let x = 0; x < faultyImage.width; x++) {
              if (!visiblyDifferent(before, after, (y * faultyImage.width + x) * 3)) continue;
              // Anti-aliasing of a stats box's border reaches a pixel past it.
              if (faultyImage.statsBoxes.some((box) => contains(box, x, y, 2))) continue;
              assert.ok(contains(bbox, x, y), `pixel (${x}, ${y}) changed outside ${JSON.stringify(bbox)}`);
              inside++;
            }
          }
          assert.ok(inside > 0, 'the fault changed no pixel');

          // The published plot is drawn on its own axes; the box depends only on where the bins are drawn.
          const published = await simulatePlot({ kind, seed: SEED, run: RUN, fault: { mode, strength } });
          assert.deepEqual(published.bbox, bbox);
        });
      }
    }
  }

  it('gives no box to a healthy plot or to a fault of the whole plot', async () => {
    for (const mode of ['no-data', 'low-stats', 'cosmic'] as const) {
      const plot = await simulatePlot({
        kind: 'FCAL_occupancy',
        seed: SEED,
        run: RUN,
        fault: { mode, strength: 'normal' },
      });
      assert.equal(plot.bbox, undefined);
    }
    assert.equal((await simulatePlot({ kind: 'FCAL_occupancy', seed: SEED, run: RUN })).bbox, undefined);
  });
});
