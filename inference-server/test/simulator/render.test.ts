import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';

import { generatePlot, plotKinds, renderPlot } from '../../src/simulator/index.ts';
import { formatSignificant, formatTick } from '../../src/simulator/render/format.ts';
import { niceTicks } from '../../src/simulator/render/ticks.ts';

describe('ROOT-style numbers', () => {
  it('formats statistics as %.4g does', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [61.93, '61.93'],
      [12345, '1.235e+04'],
      [-0.00001217, '-1.217e-05'],
      [0.0001234, '0.0001234'],
      [9.99996, '10'],
    ];
    for (const [value, text] of cases) assert.equal(formatSignificant(value), text);
  });

  it('puts ticks on round values inside the range', () => {
    const ticks = niceTicks(-100, 300, 8);
    assert.deepEqual(ticks.primary, [-100, -50, 0, 50, 100, 150, 200, 250, 300]);
    assert.ok(ticks.secondary.every((tick) => tick > -100 && tick < 300 && tick % 50 !== 0));
    assert.deepEqual(niceTicks(0.5, 48.5, 10).primary, [5, 10, 15, 20, 25, 30, 35, 40, 45]);
    assert.deepEqual(
      niceTicks(-2.004, 2.004, 5).primary.map((tick) => formatTick(tick, 1)),
      ['-2', '-1', '0', '1', '2'],
    );
  });
});

describe('rendering', () => {
  for (const kind of plotKinds) {
    it(`${kind.name}: an 800×600 PNG by default, any size on request`, async () => {
      const { histograms } = generatePlot({ kind, seed: 2, run: 180000 });
      const standard = await sharp((await renderPlot(kind, histograms)).png).metadata();
      assert.deepEqual([standard.format, standard.width, standard.height], ['png', 800, 600]);
      const small = await sharp(
        (await renderPlot(kind, histograms, { width: 400, height: 300 })).png,
      ).metadata();
      assert.deepEqual([small.width, small.height], [400, 300]);
    });
  }
});
