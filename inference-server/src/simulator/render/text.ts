// Text, rendered by librsvg through sharp but only once per distinct string: a plot's labels mostly repeat
// (titles, ticks, "Entries"), and rendering text is most of the cost of an SVG. Each string is rendered with its
// anchor on a whole pixel, so a cached string and a fresh one have the same pixels.

import sharp from 'sharp';

import { escapeXml, px } from './format.ts';
import type { Raster } from './raster.ts';

export const FONT_FAMILY = 'Helvetica, Arial, sans-serif';

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

/** Renders the strings in one SVG, one above the other, and cuts it into sprites. */
async function renderSprites(items: readonly TextItem[]): Promise<Map<string, Sprite>> {
  const boxes = items.map(spriteBox);
  const width = Math.max(...boxes.map((box) => box.width));
  const tops = boxes.map((_, i) => boxes.slice(0, i).reduce((sum, box) => sum + box.height, 0));
  const height = boxes.reduce((sum, box) => sum + box.height, 0);
  const elements = items.map((item, i) => {
    const box = boxes[i] as Omit<Sprite, 'alpha'>;
    const x = box.anchorX;
    const y = (tops[i] as number) + box.anchorY;
    const rotation = item.vertical ? ` transform="rotate(-90 ${x} ${y})"` : '';
    return `<text x="${x}" y="${y}" font-size="${px(item.size)}" text-anchor="${item.anchor}"${rotation}>${escapeXml(item.content)}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT_FAMILY}">${elements.join('')}</svg>`;
  const rgba = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer();
  const rendered = new Map<string, Sprite>();
  items.forEach((item, i) => {
    const box = boxes[i] as Omit<Sprite, 'alpha'>;
    const alpha = new Uint8Array(box.width * box.height);
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        alpha[y * box.width + x] = rgba[(((tops[i] as number) + y) * width + x) * 4 + 3] as number;
      }
    }
    rendered.set(keyOf(item), { ...box, alpha });
  });
  if (sprites.size + rendered.size > MAX_SPRITES) sprites.clear();
  for (const [key, sprite] of rendered) sprites.set(key, sprite);
  return rendered;
}

/** Sprites for the strings: cached ones at once, missing ones rendered together. */
export async function loadSprites(items: readonly TextItem[]): Promise<Map<string, Sprite>> {
  // Cached sprites are taken before any await, so another plot clearing the cache cannot take them away.
  const found = new Map<string, Sprite>();
  const missing = new Map<string, TextItem>();
  for (const item of items) {
    const key = keyOf(item);
    const sprite = sprites.get(key);
    if (sprite) found.set(key, sprite);
    else missing.set(key, item);
  }
  if (missing.size > 0) {
    for (const [key, sprite] of await renderSprites([...missing.values()])) found.set(key, sprite);
  }
  return found;
}

/** Draws the strings in black, each with its anchor on the nearest whole pixel. */
export function drawTexts(raster: Raster, items: readonly TextItem[], loaded: Map<string, Sprite>): void {
  for (const item of items) {
    const sprite = loaded.get(keyOf(item));
    if (sprite === undefined) throw new Error(`text "${item.content}" was not loaded`);
    raster.darken(sprite.alpha, {
      x: Math.round(item.x) - sprite.anchorX,
      y: Math.round(item.y) - sprite.anchorY,
      width: sprite.width,
      height: sprite.height,
    });
  }
}
