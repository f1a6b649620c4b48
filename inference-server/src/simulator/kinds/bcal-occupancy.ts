// Barrel calorimeter occupancy: 48 modules around the beam, each read out in 4 layers × 4 sectors.

import { gridBlock } from '../geometry.ts';
import type { PlotKind, Region, RegionTable } from '../plot-kind.ts';
import type { Random } from '../random.ts';
import { azimuth, channelGains, mixture } from './physics.ts';

const MODULES = 48;
const LAYERS = 4;
const SECTORS = 4;
const ROWS = LAYERS * SECTORS;
/** Showers start in the inner layer and fade outwards. */
const LAYER_OCCUPANCY = [1, 0.68, 0.45, 0.26];

const grid = { columns: MODULES, rows: ROWS, isActive: () => true };

/** Bins of `rows` rows from `firstRow` in `count` adjacent modules; `count` = all modules gives a full band. */
function modules(rng: Random, count: number, firstRow: number, rows: number): Region {
  const first = rng.int(MODULES - count + 1);
  const bins: number[] = [];
  for (let row = firstRow; row < firstRow + rows; row++) {
    for (let module = first; module < first + count; module++) bins.push(row * MODULES + module);
  }
  return { pad: 0, bins };
}

function layer(rng: Random): number {
  return rng.int(LAYERS) * SECTORS;
}

const regions: RegionTable = {
  dead: {
    normal: (rng) => modules(rng, rng.intBetween(1, 3), 0, ROWS),
    subtle: (rng) => modules(rng, 1, layer(rng), SECTORS),
  },
  noise: {
    normal: (rng) => modules(rng, rng.intBetween(4, 6), 0, ROWS),
    subtle: (rng) => gridBlock(rng, 0, grid, 2, SECTORS),
  },
  // The LED pulser fires one layer of the whole barrel.
  pulser: {
    normal: (rng) => modules(rng, MODULES, layer(rng), SECTORS),
    subtle: (rng) => modules(rng, 12, layer(rng), SECTORS),
  },
};

export const bcalOccupancy: PlotKind = {
  name: 'BCAL_occupancy',
  title: 'BCAL occupancy',
  description: 'Hits per readout channel of the barrel calorimeter, module by module and layer by layer.',
  layout: { columns: 1, rows: 1 },
  pads: [
    {
      name: 'bcal_occupancy',
      title: 'BCAL occupancy',
      draw: 'colz',
      x: { title: 'Module', bins: MODULES, min: 0.5, max: MODULES + 0.5 },
      y: { title: '4 (layer - 1) + sector', bins: ROWS, min: 0.5, max: ROWS + 0.5 },
    },
  ],
  failureModes: ['dead-region', 'hot-channel', 'no-data', 'low-stats', 'noise-burst', 'cosmic', 'led-pulser'],
  expected(run, modifiers) {
    const gains = channelGains(run, MODULES * ROWS, 0.06);
    return [
      mixture(
        MODULES * ROWS,
        modifiers,
        (bin) => {
          const phi = azimuth(bin % MODULES, MODULES);
          const layerIndex = Math.floor(Math.floor(bin / MODULES) / SECTORS);
          const occupancy = 2500 * (LAYER_OCCUPANCY[layerIndex] as number) * (1 + 0.06 * Math.cos(phi));
          return run.luminosity * (gains[bin] as number) * occupancy;
        },
        // Cosmic muons fall vertically: the modules at the top and bottom face them, those at the sides do not.
        (bin) => 60 * (Math.abs(Math.sin(azimuth(bin % MODULES, MODULES))) + 0.12),
      ),
    ];
  },
  regions,
};
