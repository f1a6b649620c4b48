// Forward calorimeter occupancy: a 59 × 59 grid of lead-glass blocks in a circle, with a beam hole in the middle.

import { gridBlock } from '../geometry.ts';
import type { PlotKind, Region, RegionTable } from '../plot-kind.ts';
import type { Random } from '../random.ts';
import { channelGains, mixture } from './physics.ts';

const SIZE = 59;
const CENTER = (SIZE - 1) / 2;
const OUTER_RADIUS_BLOCKS = 28.5;
/** The beam passes through a 3 × 3 block hole. */
const HOLE_HALF_WIDTH = 1;

function offset(column: number, row: number): { dx: number; dy: number; radius: number } {
  const dx = column - CENTER;
  const dy = row - CENTER;
  return { dx, dy, radius: Math.hypot(dx, dy) };
}

function isBlock(column: number, row: number): boolean {
  const { dx, dy, radius } = offset(column, row);
  const inHole = Math.abs(dx) <= HOLE_HALF_WIDTH && Math.abs(dy) <= HOLE_HALF_WIDTH;
  return radius <= OUTER_RADIUS_BLOCKS && !inHole;
}

const grid = { columns: SIZE, rows: SIZE, isActive: isBlock };

/** Blocks of one quadrant: the LED pulser lights the calorimeter quadrant by quadrant. */
function quadrant(rng: Random): Region {
  const right = rng.chance(0.5);
  const top = rng.chance(0.5);
  const bins: number[] = [];
  for (let row = 0; row < SIZE; row++) {
    for (let column = 0; column < SIZE; column++) {
      const { dx, dy } = offset(column, row);
      if (isBlock(column, row) && dx >= 0 === right && dy >= 0 === top) bins.push(row * SIZE + column);
    }
  }
  return { pad: 0, bins };
}

const regions: RegionTable = {
  dead: {
    normal: (rng) => gridBlock(rng, 0, grid, rng.intBetween(6, 10), rng.intBetween(6, 10)),
    subtle: (rng) => gridBlock(rng, 0, grid, rng.intBetween(1, 2), 1),
  },
  noise: {
    normal: (rng) => gridBlock(rng, 0, grid, 12, 12),
    subtle: (rng) => gridBlock(rng, 0, grid, 5, 5),
  },
  pulser: {
    normal: quadrant,
    subtle: (rng) => gridBlock(rng, 0, grid, 10, 10),
  },
};

export const fcalOccupancy: PlotKind = {
  name: 'FCAL_occupancy',
  title: 'FCAL occupancy',
  description: 'Hits per block of the forward calorimeter, with the beam hole at the centre.',
  layout: { columns: 1, rows: 1 },
  pads: [
    {
      name: 'fcal_occupancy',
      title: 'FCAL occupancy',
      draw: 'colz',
      x: { title: 'Column', bins: SIZE, min: 0, max: SIZE },
      y: { title: 'Row', bins: SIZE, min: 0, max: SIZE },
    },
  ],
  failureModes: ['dead-region', 'hot-channel', 'no-data', 'low-stats', 'noise-burst', 'cosmic', 'led-pulser'],
  expected(run, modifiers) {
    const gains = channelGains(run, SIZE * SIZE, 0.08);
    const block = (bin: number): ReturnType<typeof offset> | undefined => {
      const column = bin % SIZE;
      const row = Math.floor(bin / SIZE);
      return isBlock(column, row) ? offset(column, row) : undefined;
    };
    return [
      mixture(
        SIZE * SIZE,
        modifiers,
        (bin) => {
          const position = block(bin);
          if (position === undefined) return 0;
          // Showers crowd around the beam hole; the solenoid field pushes charged tracks to one side.
          const radial = 4000 * Math.exp(-position.radius / 6) + 60;
          return (
            run.luminosity * (gains[bin] as number) * radial * (1 + (0.1 * position.dx) / OUTER_RADIUS_BLOCKS)
          );
        },
        // Cosmic muons cross the blocks from above: the same rate everywhere.
        (bin) => (block(bin) === undefined ? 0 : 25),
      ),
    ];
  },
  regions,
};
