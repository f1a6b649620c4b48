// Start counter occupancy: hits on each of the 30 scintillator paddles that surround the target.

import { randomWindow } from '../geometry.ts';
import type { Axis, PlotKind, Region, RegionTable } from '../plot-kind.ts';
import type { Random } from '../random.ts';
import { azimuth, channelGains, mixture } from './physics.ts';

const PADDLE: Axis = { title: 'Paddle', bins: 30, min: 0.5, max: 30.5 };

function paddles(rng: Random, count: number): Region {
  return randomWindow(rng, 0, count, 0, PADDLE.bins);
}

const regions: RegionTable = {
  dead: { normal: (rng) => paddles(rng, rng.intBetween(2, 4)), subtle: (rng) => paddles(rng, 1) },
  noise: { normal: (rng) => paddles(rng, rng.intBetween(6, 8)), subtle: (rng) => paddles(rng, 3) },
  pulser: { normal: (rng) => paddles(rng, rng.intBetween(8, 12)), subtle: (rng) => paddles(rng, 4) },
};

export const scOccupancy: PlotKind = {
  name: 'SC_occupancy',
  title: 'Start counter paddles',
  description: 'Hits per start counter paddle, drawn as a bar chart.',
  layout: { columns: 1, rows: 1 },
  pads: [
    {
      name: 'sc_paddle_hits',
      title: 'Start counter hits per paddle',
      draw: 'bar',
      x: PADDLE,
      yTitle: 'Hits',
    },
  ],
  failureModes: ['dead-region', 'hot-channel', 'no-data', 'low-stats', 'noise-burst', 'cosmic', 'led-pulser'],
  expected(run, modifiers) {
    const gains = channelGains(run, PADDLE.bins, 0.06);
    const beamAzimuth = run.detector('beam-offset').between(0, 2 * Math.PI);
    return [
      mixture(
        PADDLE.bins,
        modifiers,
        (bin) =>
          20000 *
          run.luminosity *
          (gains[bin] as number) *
          (1 + 0.08 * Math.cos(azimuth(bin, PADDLE.bins) - beamAzimuth)),
        // Vertical cosmic muons cross the paddles at the top and bottom of the barrel.
        (bin) => 500 * (Math.abs(Math.sin(azimuth(bin, PADDLE.bins))) + 0.1),
      ),
    ];
  },
  regions,
};
