// Text, rendered by librsvg but only once per distinct string: a plot's labels mostly repeat (titles, ticks,
// "Entries"), and text is most of the cost of rendering an SVG. New strings are rendered black on white in a
// sheet below the plot's shapes, in the same SVG; each with its anchor on a whole pixel and nothing else near it,
// so a cached string and a freshly rendered one have the same pixels.

import { escapeXml, px } from './format.ts';
import type { Raster } from './raster.ts';

const FONT_FAMILY = 'Helvetica, Arial, sans-serif';

export type TextAnchor = 'start' | 'middle' | 'end';

export interface TextItem {
  x: number;
  /** The baseline. */
  y: number;
  content: string;
  size: number;
  anchor: TextAnchor;
  /** Reads bottom-up, as ROOT draws y-axis titles. */
  vertical: boolean;
}

export function text(
  x: number,
  y: number,
  content: string,
  size: number,
  anchor: TextAnchor = 'start',
  vertical = false,
): TextItem {
  return { x, y, content, size, anchor, vertical };
}

/** A string's coverage (0–255) and where its anchor point lies in it. */
export interface Sprite {
  alpha: Uint8Array;
  width: number;
  height: number;
  anchorX: number;
  anchorY: number;
}

/** Enough for every label of every plot kind; stats values come and go. */
const MAX_SPRITES = 5000;
const sprites = new Map<string, Sprite>();

function keyOf(item: TextItem): string {
  return `${px(item.size)}|${item.anchor}|${item.vertical ? 'v' : 'h'}|${item.content}`;
}

/** Where a string goes in its own box: room for any glyph along it, for ascent and descent across it. */
function spriteBox(item: TextItem): Omit<Sprite, 'alpha'> {
  const along = Math.ceil((item.content.length + 1) * item.size);
  const across = Math.ceil(1.6 * item.size);
  const baseline = Math.ceil(1.2 * item.size);
  const margin = Math.ceil(item.size / 2);
  const offset = { start: margin, middle: Math.round(along / 2), end: along - margin }[item.anchor];
  return item.vertical
    ? { width: across, height: along, anchorX: baseline, anchorY: along - offset }
    : { width: along, height: across, anchorX: offset, anchorY: baseline };
}

/** The sprites already cached, and the strings still to render. */
export function findSprites(items: readonly TextItem[]): { found: Map<string, Sprite>; missing: TextItem[] } {
  const found = new Map<string, Sprite>();
  const missing = new Map<string, TextItem>();
  for (const item of items) {
    const key = keyOf(item);
    const sprite = sprites.get(key);
    if (sprite) found.set(key, sprite);
    else missing.set(key, item);
  }
  return { found, missing: [...missing.values()] };
}

/** Strings laid out one above the other, to render in the same SVG as a plot's shapes, below the canvas. */
export interface SpriteSheet {
  svg: string;
  width: number;
  height: number;
  /** Cuts the rendered document (RGB, `stride` pixels wide, black text on white) into sprites, and caches them. */
  cut(rgb: Buffer, stride: number): Map<string, Sprite>;
}

/** A sheet of the strings, starting `top` pixels down the SVG document. */
export function spriteSheet(items: readonly TextItem[], top: number): SpriteSheet {
  const boxes = items.map(spriteBox);
  const offsets = boxes.map((_, i) => boxes.slice(0, i).reduce((sum, box) => sum + box.height, 0));
  const elements = items.map((item, i) => {
    const box = boxes[i] as Omit<Sprite, 'alpha'>;
    const x = box.anchorX;
    const y = top + (offsets[i] as number) + box.anchorY;
    const rotation = item.vertical ? ` transform="rotate(-90 ${x} ${y})"` : '';
    const attributes = `x="${x}" y="${y}" font-size="${px(item.size)}" text-anchor="${item.anchor}"${rotation}`;
    return `<text ${attributes}>${escapeXml(item.content)}</text>`;
  });
  return {
    svg: items.length === 0 ? '' : `<g font-family="${FONT_FAMILY}">${elements.join('')}</g>`,
    width: Math.max(0, ...boxes.map((box) => box.width)),
    height: boxes.reduce((sum, box) => sum + box.height, 0),
    cut(rgb, stride) {
      const cutSprites = new Map<string, Sprite>();
      items.forEach((item, i) => {
        const box = boxes[i] as Omit<Sprite, 'alpha'>;
        const alpha = new Uint8Array(box.width * box.height);
        for (let y = 0; y < box.height; y++) {
          const row = (top + (offsets[i] as number) + y) * stride;
          for (let x = 0; x < box.width; x++) alpha[y * box.width + x] = 255 - (rgb[(row + x) * 3] as number);
        }
        cutSprites.set(keyOf(item), { ...box, alpha });
      });
      if (sprites.size + cutSprites.size > MAX_SPRITES) sprites.clear();
      for (const [key, sprite] of cutSprites) sprites.set(key, sprite);
      return cutSprites;
    },
  };
}

/** Draws the strings in black, each with its anchor on the nearest whole pixel. */
export function drawTexts(raster: Raster, items: readonly TextItem[], loaded: Map<string, Sprite>): void {
  for (const item of items) {
    const sprite = loaded.get(keyOf(item));
    if (sprite === undefined) throw new Error(`text "${item.content}" was not rendered`);
    raster.darken(sprite.alpha, {
      x: Math.round(item.x) - sprite.anchorX,
      y: Math.round(item.y) - sprite.anchorY,
      width: sprite.width,
      height: sprite.height,
    });
  }
}
