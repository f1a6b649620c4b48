// What drawing one pad yields, and the pieces every pad has: a title and a frame.

import type { TextSizes } from './axes.ts';
import type { Layers } from './compose.ts';
import { CRISP_LINE, svgRect } from './format.ts';
import type { Box } from './raster.ts';
import { text } from './text.ts';
import type { TextItem } from './text.ts';

export interface PadDrawing extends Layers {
  /** Pixel box of all the ink that depends on one bin's content. */
  footprint(bin: number): Box;
  statsBox?: Box;
  /** The top of the y axis (1D) or of the palette (2D). */
  scale: number;
}

export function padTitle(pad: Box, title: string, sizes: TextSizes): TextItem {
  return text(pad.x + pad.width / 2, pad.y + 0.065 * pad.height, title, sizes.title, 'middle');
}

export function frameRect(frame: Box): string {
  return svgRect(frame, `fill="none" ${CRISP_LINE}`);
}

/** Keeps the data inside the frame, as ROOT clips to it. */
export function frameClip(id: string, frame: Box): string {
  return `<clipPath id="${id}">${svgRect(frame)}</clipPath>`;
}
