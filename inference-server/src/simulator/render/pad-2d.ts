// Occupancy maps: a 2D histogram (COLZ) or a map of round channels, in a square frame with a palette to its
// right and the stats box beyond it. The cells are painted as pixels under the SVG; everything else is SVG.

import { binLowEdge } from '../histogram.ts';
import type { Histogram, Histogram1D, Histogram2D } from '../histogram.ts';
import type { CellMapPad, Histogram2DPad } from '../plot-kind.ts';
import { paletteAxis, textSizes, toPixel, xAxis, yAxis } from './axes.ts';
import type { TextSizes } from './axes.ts';
import { mergeLayers } from './compose.ts';
import type { Layers } from './compose.ts';
import { CRISP_LINE, formatSignificant, svgRect } from './format.ts';
import { frameRect, padTitle } from './pad.ts';
import type { PadDrawing } from './pad.ts';
import { paletteColour, paletteGradient } from './palette.ts';
import type { Rgb } from './palette.ts';
import { diskBox } from './raster.ts';
import type { Box, Raster } from './raster.ts';
import { statsBox, statsBoxHeight } from './stats-box.ts';
import type { StatisticLine } from './stats-box.ts';

const PALETTE_GRADIENT_ID = 'palette';

interface SquareLayout {
  frame: Box;
  palette: Box;
  statsLeft: number;
  statsRight: number;
}

function squareLayout(pad: Box): SquareLayout {
  const side = Math.min(0.78 * pad.height, 0.585 * pad.width);
  const frame = { x: pad.x + 0.09 * pad.width, y: pad.y + 0.1 * pad.height, width: side, height: side };
  const palette = {
    x: frame.x + side + 0.015 * pad.width,
    y: frame.y,
    width: 0.035 * pad.width,
    height: side,
  };
  const statsLeft = palette.x + palette.width + 0.085 * pad.width;
  return { frame, palette, statsLeft, statsRight: pad.x + 0.995 * pad.width };
}

interface MapDrawing {
  spec: Histogram2DPad | CellMapPad;
  /** Paints the cells. */
  underlay: (raster: Raster) => void;
  histogram: Histogram;
  layout: SquareLayout;
  sizes: TextSizes;
  statistics: readonly StatisticLine[];
  scale: number;
  footprint(bin: number): Box;
}

/** The pad: its cells (the underlay) inside a frame with axes, title, palette and stats box. */
function decorate(
  { spec, underlay, histogram, layout, sizes, statistics, scale, footprint }: MapDrawing,
  pad: Box,
): PadDrawing {
  const { frame, palette } = layout;
  const parts: Layers[] = [
    { svg: frameRect(frame), texts: [padTitle(pad, spec.title, sizes)], underlay },
    xAxis(frame, spec.x, spec.x.title, sizes),
    yAxis(frame, spec.y, spec.y.title, sizes),
  ];
  // ROOT draws no palette for an empty histogram.
  if (histogram.entries > 0) {
    const bar = svgRect(palette, `fill="url(#${PALETTE_GRADIENT_ID})" ${CRISP_LINE}`);
    parts.push({ svg: `<defs>${paletteGradient(PALETTE_GRADIENT_ID)}</defs>${bar}`, texts: [] });
    parts.push(paletteAxis(palette, { min: 0, max: scale }, sizes));
  }
  const box = {
    x: layout.statsLeft,
    y: frame.y,
    width: layout.statsRight - layout.statsLeft,
    height: statsBoxHeight(statistics.length, sizes.stats),
  };
  parts.push(statsBox(box, spec.name, statistics, sizes.stats));
  return { ...mergeLayers(parts), statsBox: box, scale, footprint };
}

function scaleOf(histogram: Histogram, fixedScale: number | undefined): number {
  return fixedScale ?? histogram.maximum;
}

/** Paints each bin in its palette colour; as ROOT's COLZ, bins at or below the palette minimum (0) stay empty. */
function paintCells(
  histogram: Histogram,
  scale: number,
  paint: (raster: Raster, bin: number, colour: Rgb) => void,
): (raster: Raster) => void {
  return (raster) =>
    histogram.contents.forEach((content, bin) => {
      if (content > 0 && scale > 0) paint(raster, bin, paletteColour(content / scale));
    });
}

export function drawHistogram2DPad(
  spec: Histogram2DPad,
  histogram: Histogram2D,
  pad: Box,
  fixedScale: number | undefined,
): PadDrawing {
  const layout = squareLayout(pad);
  const { frame } = layout;
  const scale = scaleOf(histogram, fixedScale);
  // Cell edges on whole pixels: neighbouring cells share an edge, and a cell's box is exactly what it covers.
  const xEdge = (bin: number): number =>
    Math.round(toPixel(spec.x, frame.x, frame.x + frame.width, binLowEdge(spec.x, bin)));
  const yEdge = (bin: number): number =>
    Math.round(toPixel(spec.y, frame.y + frame.height, frame.y, binLowEdge(spec.y, bin)));
  const footprint = (bin: number): Box => {
    const column = bin % spec.x.bins;
    const row = Math.floor(bin / spec.x.bins);
    const top = yEdge(row + 1);
    return { x: xEdge(column), y: top, width: xEdge(column + 1) - xEdge(column), height: yEdge(row) - top };
  };
  const underlay = paintCells(histogram, scale, (raster, bin, colour) =>
    raster.fillBox(footprint(bin), colour),
  );
  const x = histogram.momentsX();
  const y = histogram.momentsY();
  const statistics: StatisticLine[] = [
    ['Entries', String(Math.round(histogram.entries))],
    ['Mean x', formatSignificant(x.mean)],
    ['Mean y', formatSignificant(y.mean)],
    ['RMS x', formatSignificant(x.rms)],
    ['RMS y', formatSignificant(y.rms)],
  ];
  return decorate(
    { spec, underlay, histogram, layout, sizes: textSizes(pad), statistics, scale, footprint },
    pad,
  );
}

export function drawCellMapPad(
  spec: CellMapPad,
  histogram: Histogram1D,
  pad: Box,
  fixedScale: number | undefined,
): PadDrawing {
  const layout = squareLayout(pad);
  const { frame } = layout;
  const scale = scaleOf(histogram, fixedScale);
  const toX = (value: number): number => toPixel(spec.x, frame.x, frame.x + frame.width, value);
  const toY = (value: number): number => toPixel(spec.y, frame.y + frame.height, frame.y, value);
  const pixelsPerUnit = frame.width / (spec.x.max - spec.x.min);
  const disk = (bin: number): [number, number, number] => {
    const cell = spec.cells[bin];
    if (cell === undefined) throw new RangeError(`${spec.name}: no cell ${bin}`);
    return [toX(cell.x), toY(cell.y), cell.radius * pixelsPerUnit];
  };
  const underlay = paintCells(histogram, scale, (raster, bin, colour) =>
    raster.fillDisk(...disk(bin), colour),
  );
  const statistics: StatisticLine[] = [['Entries', String(Math.round(histogram.entries))]];
  return decorate(
    {
      spec,
      underlay,
      histogram,
      layout,
      sizes: textSizes(pad),
      statistics,
      scale,
      footprint: (bin) => diskBox(...disk(bin)),
    },
    pad,
  );
}
