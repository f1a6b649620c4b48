// SVG shapes and numbers in fixed formats: the same plot always serialises to the same bytes.

import type { Box } from './raster.ts';

/**
 * ROOT draws frames, ticks and boxes as sharp one-pixel lines. Crisp lines also leave no grey fringe, which would
 * keep the cells painted under the SVG from reaching them.
 */
export const CRISP_LINE = 'stroke="#000" stroke-width="1" shape-rendering="crispEdges"';

/** A pixel coordinate, to a tenth of a pixel. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** C's `%.4g`, which ROOT's stats box uses: 4 significant digits, exponent form below 1e-4 and from 1e4. */
export function formatSignificant(value: number, digits = 4): string {
  if (value === 0) return '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential(digits - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= digits) {
    return `${trimZeros(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trimZeros(value.toFixed(digits - 1 - exponent));
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
