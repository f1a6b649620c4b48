// SVG shapes and numbers in fixed formats: the same plot always serialises to the same bytes.

import type { Box } from './raster.ts';

/** A pixel coordinate, to a tenth of a pixel. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Like C's `%.4g`, which ROOT's stats box uses: 4 significant digits, no trailing zeros. */
export function formatSignificant(value: number, digits = 4): string {
  if (value === 0) return '0';
  const [mantissa = '', exponent] = value.toPrecision(digits).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  if (exponent === undefined) return trimmed;
  const power = Number(exponent);
  return `${trimmed}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
}

/** A tick label: as many decimals as the tick step needs. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

export function svgRect(box: Box, attributes = ''): string {
  const position = `x="${px(box.x)}" y="${px(box.y)}" width="${px(box.width)}" height="${px(box.height)}"`;
  return `<rect ${position}${attributes === '' ? '' : ` ${attributes}`}/>`;
}
