// Central drift chamber occupancy: 3522 straws on 28 rings around the beam, drawn as a polar cell map.

import { binRange } from '../geometry.ts';
import type { Cell, PlotKind, Region, RegionTable } from '../plot-kind.ts';
import type { Random } from '../random.ts';
import { azimuth, channelGains, mixture } from './physics.ts';

const STRAWS_PER_RING = [
  42, 42, 54, 54, 66, 66, 80, 80, 93, 93, 106, 106, 123, 123, 135, 135, 146, 146, 158, 158, 170, 170, 182,
  182, 197, 197, 209, 209,
];
const INNER_RADIUS_CM = 10.9;
const RING_PITCH_CM = 1.7;
const STRAW_RADIUS_CM = 0.78;

interface Straw extends Cell {
  ring: number;
  phi: number;
}

const firstStrawOfRing = STRAWS_PER_RING.map((_, ring) =>
  STRAWS_PER_RING.slice(0, ring).reduce((sum, count) => sum + count, 0),
);

const straws: Straw[] = STRAWS_PER_RING.flatMap((count, ring) => {
  const radius = INNER_RADIUS_CM + ring * RING_PITCH_CM;
  // Odd rings are staggered by half a straw, as in the chamber.
  const stagger = ring % 2 === 0 ? 0 : 0.5;
  return Array.from({ length: count }, (_, straw) => {
    const phi = azimuth(straw + stagger, count);
    return { ring, phi, radius: STRAW_RADIUS_CM, x: radius * Math.cos(phi), y: radius * Math.sin(phi) };
  });
});

function ringRadius(ring: number): number {
  return INNER_RADIUS_CM + ring * RING_PITCH_CM;
}

/** Straws of rings [firstRing, firstRing + rings) whose azimuth lies within `span` radians from `start`. */
function sector(firstRing: number, rings: number, start: number, span: number): Region {
  const bins: number[] = [];
  straws.forEach((straw, bin) => {
    const inRings = straw.ring >= firstRing && straw.ring < firstRing + rings;
    if (inRings && (straw.phi - start + 2 * Math.PI) % (2 * Math.PI) < span) bins.push(bin);
  });
  return { pad: 0, bins };
}

/**
 * A sector of `rings` rings from a random ring at or beyond `fromRing`, at least `minArcCm` wide on its inner ring.
 * Normal-strength faults use both: near the beam hole, a dead sector of the usual angle is a notch of a few straws
 * that merges with the hole, and a pulsed ring is no brighter than the busy inner rings around it.
 */
function randomSector(
  rng: Random,
  rings: number,
  spanDegrees: number,
  { fromRing = 0, minArcCm = 0 } = {},
): Region {
  const firstRing = fromRing + rng.int(STRAWS_PER_RING.length - rings + 1 - fromRing);
  const span = Math.max((spanDegrees * Math.PI) / 180, minArcCm / ringRadius(firstRing));
  return sector(firstRing, rings, rng.between(0, 2 * Math.PI), span);
}

const regions: RegionTable = {
  // A dead HV sector, or one dead preamp (a few straws of a ring).
  dead: {
    normal: (rng) =>
      randomSector(rng, rng.intBetween(4, 8), rng.between(25, 45), { fromRing: 2, minArcCm: 20 }),
    subtle: (rng) => {
      const ring = rng.int(STRAWS_PER_RING.length);
      const count = STRAWS_PER_RING[ring] as number;
      return binRange(0, (firstStrawOfRing[ring] as number) + rng.int(count - 6), rng.intBetween(3, 6));
    },
  },
  noise: {
    normal: (rng) => randomSector(rng, rng.intBetween(8, 14), rng.between(30, 60)),
    subtle: (rng) => randomSector(rng, 3, 15),
  },
  // A readout pulser fires whole rings at once.
  pulser: {
    normal: (rng) => randomSector(rng, rng.intBetween(2, 4), 360, { fromRing: 8 }),
    subtle: (rng) => randomSector(rng, 1, 180),
  },
};

export const cdcOccupancy: PlotKind = {
  name: 'CDC_occupancy',
  title: 'CDC occupancy',
  description: 'Hits per straw of the central drift chamber, drawn straw by straw on its 28 rings.',
  layout: { columns: 1, rows: 1 },
  pads: [
    {
      name: 'cdc_occupancy',
      title: 'CDC occupancy',
      draw: 'cells',
      cells: straws,
      x: { title: 'x (cm)', min: -60, max: 60 },
      y: { title: 'y (cm)', min: -60, max: 60 },
      neighbours: (bin) => {
        const ring = (straws[bin] as Straw).ring;
        const first = firstStrawOfRing[ring] as number;
        const count = STRAWS_PER_RING[ring] as number;
        const index = bin - first;
        return [first + ((index + count - 1) % count), first + ((index + 1) % count)];
      },
    },
  ],
  failureModes: ['dead-region', 'hot-channel', 'no-data', 'low-stats', 'noise-burst', 'cosmic', 'led-pulser'],
  expected(run, modifiers) {
    const gains = channelGains(run, straws.length, 0.05);
    const beamAzimuth = run.detector('beam-offset').between(0, 2 * Math.PI);
    return [
      mixture(
        straws.length,
        modifiers,
        (bin) => {
          const straw = straws[bin] as Straw;
          // Track density falls with radius; the beam is slightly off centre.
          const density = INNER_RADIUS_CM / ringRadius(straw.ring);
          return (
            1200 *
            run.luminosity *
            (gains[bin] as number) *
            density *
            (1 + 0.05 * Math.cos(straw.phi - beamAzimuth))
          );
        },
        // Cosmic rays cross the chamber as straight lines: flat, a little denser at the top and bottom.
        (bin) => 6 * (1 + 0.3 * Math.abs(Math.sin((straws[bin] as Straw).phi))),
      ),
    ];
  },
  regions,
};
