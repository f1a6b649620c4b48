// Pads as channel sets: how many bins a pad has, which bins are neighbours, and regions of bins.

import { Histogram1D, Histogram2D } from './histogram.ts';
import type { Histogram } from './histogram.ts';
import type { PadSpec, Region } from './plot-kind.ts';
import type { Random } from './random.ts';

export function padBinCount(pad: PadSpec): number {
  if (pad.draw === 'colz') return pad.x.bins * pad.y.bins;
  if (pad.draw === 'cells') return pad.cells.length;
  return pad.x.bins;
}

export function createHistogram(pad: PadSpec, contents?: Float64Array): Histogram {
  if (pad.draw === 'colz') return new Histogram2D(pad.name, pad.x, pad.y, contents);
  if (pad.draw === 'cells') {
    return new Histogram1D(
      pad.name,
      { bins: pad.cells.length, min: 0.5, max: pad.cells.length + 0.5 },
      contents,
    );
  }
  return new Histogram1D(pad.name, pad.x, contents);
}

/** The 8 surrounding cells of a grid bin, fewer at the edges. */
export function gridNeighbours(columns: number, rows: number, index: number): number[] {
  const column = index % columns;
  const row = Math.floor(index / columns);
  const neighbours: number[] = [];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const x = column + dx;
      const y = row + dy;
      if ((dx !== 0 || dy !== 0) && x >= 0 && x < columns && y >= 0 && y < rows)
        neighbours.push(y * columns + x);
    }
  }
  return neighbours;
}

/** The bins on either side of a 1D bin. */
export function lineNeighbours(bins: number, index: number): number[] {
  return [index - 1, index + 1].filter((bin) => bin >= 0 && bin < bins);
}

export function padNeighbours(pad: PadSpec, bin: number): number[] {
  if (pad.draw === 'colz') return gridNeighbours(pad.x.bins, pad.y.bins, bin);
  if (pad.draw === 'cells') return pad.neighbours(bin);
  return lineNeighbours(pad.x.bins, bin);
}

/** Consecutive bins [first, first + count) of a 1D pad. */
export function binRange(pad: number, first: number, count: number): Region {
  return { pad, bins: Array.from({ length: count }, (_, i) => first + i) };
}

/** A random window of `width` consecutive bins inside [from, to) of a 1D pad. */
export function randomWindow(rng: Random, pad: number, width: number, from: number, to: number): Region {
  const count = Math.max(1, Math.min(Math.round(width), to - from));
  return binRange(pad, rng.intBetween(from, to - count), count);
}

/**
 * A random window of `width` bins inside [from, to) that stays clear of the bins [clearFrom, clearTo): a fault
 * hidden under a peak ten times its height is not visible, so a normal-strength one is drawn beside it.
 */
export function randomWindowBeside(
  rng: Random,
  pad: number,
  width: number,
  [from, to]: [number, number],
  [clearFrom, clearTo]: [number, number],
): Region {
  const count = Math.max(1, Math.round(width));
  const before = Math.max(0, clearFrom - from - count + 1);
  const after = Math.max(0, to - clearTo - count + 1);
  if (before + after === 0) return randomWindow(rng, pad, width, from, to);
  const start = rng.int(before + after);
  return binRange(pad, start < before ? from + start : clearTo + start - before, count);
}

/** A random window of `width` bins that covers at least `overlap` bins of [peakFrom, peakTo). */
export function randomWindowOver(
  rng: Random,
  pad: number,
  width: number,
  [peakFrom, peakTo]: [number, number],
  overlap: number,
): Region {
  const count = Math.max(1, Math.round(width));
  const least = Math.min(overlap, count, peakTo - peakFrom);
  return binRange(pad, rng.intBetween(peakFrom + least - count, peakTo - least), count);
}

/** A `width` × `height` block of grid cells around a random active cell, keeping only the active cells. */
export function gridBlock(
  rng: Random,
  pad: number,
  grid: { columns: number; rows: number; isActive(column: number, row: number): boolean },
  width: number,
  height: number,
): Region {
  let column: number;
  let row: number;
  do {
    column = rng.int(grid.columns);
    row = rng.int(grid.rows);
  } while (!grid.isActive(column, row));
  const left = Math.min(Math.max(0, column - Math.floor(width / 2)), grid.columns - width);
  const bottom = Math.min(Math.max(0, row - Math.floor(height / 2)), grid.rows - height);
  const bins: number[] = [];
  for (let y = bottom; y < bottom + height; y++) {
    for (let x = left; x < left + width; x++) if (grid.isActive(x, y)) bins.push(y * grid.columns + x);
  }
  return { pad, bins };
}
