// A plot kind's histograms onto one ROOT-style canvas: pads on a grid, each drawn as SVG shapes, cells painted as
// pixels under them, and text.

import type { Histogram } from '../histogram.ts';
import type { PlotKind, Region } from '../plot-kind.ts';
import { mergeLayers, toPng } from './compose.ts';
import { drawHistogram1DPad } from './pad-1d.ts';
import { drawCellMapPad, drawHistogram2DPad } from './pad-2d.ts';
import type { PadDrawing } from './pad.ts';
import { intersectBoxes, unionOfBoxes } from './raster.ts';
import type { Box } from './raster.ts';

const DEFAULT_WIDTH = 800;
const DEFAULT_HEIGHT = 600;

export interface RenderOptions {
  width?: number;
  height?: number;
  /** Top of each pad's y or z axis. Pass a clean plot's scale to draw a faulty one on the same axes. */
  scale?: readonly number[];
}

export interface RenderedPlot {
  png: Buffer;
  width: number;
  height: number;
  /** Top of each pad's y or z axis, as drawn. */
  scale: number[];
  /** The stats boxes, which hide what lies under them. */
  statsBoxes: Box[];
  /** Pixel box of everything drawn from the region's bins; undefined for an empty region. */
  regionBox(region: Region): Box | undefined;
}

function padBox(kind: PlotKind, index: number, width: number, height: number): Box {
  const { columns, rows } = kind.layout;
  const column = index % columns;
  const row = Math.floor(index / columns);
  return {
    x: (column * width) / columns,
    y: (row * height) / rows,
    width: width / columns,
    height: height / rows,
  };
}

export async function renderPlot(
  kind: PlotKind,
  histograms: readonly Histogram[],
  options: RenderOptions = {},
): Promise<RenderedPlot> {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const drawings: PadDrawing[] = kind.pads.map((spec, index) => {
    const histogram = histograms[index];
    const pad = padBox(kind, index, width, height);
    const fixedScale = options.scale?.[index];
    if (spec.draw === 'colz' && histogram?.dimension === 2) {
      return drawHistogram2DPad(spec, histogram, pad, fixedScale);
    }
    if (spec.draw === 'cells' && histogram?.dimension === 1) {
      return drawCellMapPad(spec, histogram, pad, fixedScale);
    }
    if (spec.draw !== 'colz' && spec.draw !== 'cells' && histogram?.dimension === 1) {
      return drawHistogram1DPad(spec, histogram, pad, `frame${index}`, fixedScale);
    }
    throw new TypeError(`${kind.name}: pad ${index} (${spec.draw}) does not match its histogram`);
  });
  const png = await toPng(width, height, mergeLayers(drawings));
  return {
    png,
    width,
    height,
    scale: drawings.map((drawing) => drawing.scale),
    statsBoxes: drawings.flatMap((drawing) => (drawing.statsBox ? [drawing.statsBox] : [])),
    regionBox(region) {
      const drawing = drawings[region.pad];
      if (drawing === undefined) throw new RangeError(`${kind.name}: no pad ${region.pad}`);
      const union = unionOfBoxes(region.bins.map((bin) => drawing.footprint(bin)));
      return union && intersectBoxes(union, { x: 0, y: 0, width, height });
    },
  };
}
