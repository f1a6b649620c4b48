// The canvas pixels: the rendered SVG, then heat-map cells painted straight into it (far faster for thousands of
// cells than as many SVG shapes). Cells go under the SVG's ink: a pixel is painted only where the SVG left it
// white, so frames and ticks stay on top.

import type { Rgb } from './palette.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest box holding all the given boxes; undefined for none. */
export function unionOfBoxes(boxes: Iterable<Box>): Box | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const box of boxes) {
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return left === Infinity ? undefined : { x: left, y: top, width: right - left, height: bottom - top };
}

/** The smallest box of whole pixels that covers `box`. */
export function pixelBounds(box: Box): Box {
  const x = Math.floor(box.x);
  const y = Math.floor(box.y);
  return { x, y, width: Math.ceil(box.x + box.width) - x, height: Math.ceil(box.y + box.height) - y };
}

export function intersectBoxes(a: Box, b: Box): Box {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x);
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y);
  return { x, y, width, height };
}

/** An RGB image covering `area` (whole pixels, canvas coordinates). */
export class Raster {
  constructor(
    readonly area: Box,
    readonly data: Buffer,
  ) {}

  /** Paints whole pixels under the ink; `box` must have integer edges. */
  fillBox(box: Box, colour: Rgb): void {
    const inside = intersectBoxes(box, this.area);
    for (let y = inside.y; y < inside.y + inside.height; y++)
      this.fillRow(y, inside.x, inside.x + inside.width, colour);
  }

  /** Paints, under the ink, the pixels whose centres lie in the disk; they all lie in `diskBox(cx, cy, r)`. */
  fillDisk(cx: number, cy: number, radius: number, colour: Rgb): void {
    const bounds = diskBox(cx, cy, radius);
    for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
      const dy = y + 0.5 - cy;
      if (dy * dy > radius * radius) continue;
      const halfWidth = Math.sqrt(radius * radius - dy * dy);
      this.fillRow(y, Math.ceil(cx - halfWidth - 0.5), Math.floor(cx + halfWidth - 0.5) + 1, colour);
    }
  }

  /** Paints an RGB image of `box`'s size into `box`, under the ink. */
  drawImage(rgb: Buffer, box: Box): void {
    const inside = intersectBoxes(box, this.area);
    for (let y = inside.y; y < inside.y + inside.height; y++) {
      for (let x = inside.x; x < inside.x + inside.width; x++) {
        const from = ((y - box.y) * box.width + (x - box.x)) * 3;
        this.paint(this.offset(x, y), rgb[from] as number, rgb[from + 1] as number, rgb[from + 2] as number);
      }
    }
  }

  /** Darkens towards black by `alpha` (0–255) per pixel of `box`: black text, clipped to the image. */
  darken(alpha: Uint8Array, box: Box): void {
    const inside = intersectBoxes(box, this.area);
    for (let y = inside.y; y < inside.y + inside.height; y++) {
      for (let x = inside.x; x < inside.x + inside.width; x++) {
        const coverage = alpha[(y - box.y) * box.width + (x - box.x)] as number;
        if (coverage === 0) continue;
        const offset = this.offset(x, y);
        for (let channel = offset; channel < offset + 3; channel++) {
          this.data[channel] = Math.round(((this.data[channel] as number) * (255 - coverage)) / 255);
        }
      }
    }
  }

  private offset(x: number, y: number): number {
    return ((y - this.area.y) * this.area.width + (x - this.area.x)) * 3;
  }

  /** Sets a pixel the SVG left white. */
  private paint(offset: number, r: number, g: number, b: number): void {
    const data = this.data;
    if (((data[offset] as number) & (data[offset + 1] as number) & (data[offset + 2] as number)) !== 255)
      return;
    data[offset] = r;
    data[offset + 1] = g;
    data[offset + 2] = b;
  }

  /** Paints pixels [from, to) of row y, clipped to the image. */
  private fillRow(y: number, from: number, to: number, [r, g, b]: Rgb): void {
    if (y < this.area.y || y >= this.area.y + this.area.height) return;
    const end = this.offset(Math.min(to, this.area.x + this.area.width), y);
    for (let offset = this.offset(Math.max(from, this.area.x), y); offset < end; offset += 3)
      this.paint(offset, r, g, b);
  }
}

export function diskBox(cx: number, cy: number, radius: number): Box {
  return pixelBounds({ x: cx - radius, y: cy - radius, width: 2 * radius, height: 2 * radius });
}
