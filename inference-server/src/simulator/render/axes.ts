// ROOT-style axes: ticks pointing into the frame, labels outside, titles at the far end of each axis.

import type { Layers } from './compose.ts';
import { CRISP_LINE, formatTick, px } from './format.ts';
import type { Box } from './raster.ts';
import { text } from './text.ts';
import type { TextItem } from './text.ts';
import { niceTicks } from './ticks.ts';
import type { Ticks } from './ticks.ts';

export interface TextSizes {
  title: number;
  label: number;
  axisTitle: number;
  stats: number;
}

/** Text sizes in pixels for a pad, as fractions of its height (ROOT's convention), tempered for narrow pads. */
export function textSizes(pad: Box): TextSizes {
  const size = Math.min(pad.height, 0.75 * pad.width);
  return { title: 0.04 * size, label: 0.032 * size, axisTitle: 0.032 * size, stats: 0.024 * size };
}

export interface Range {
  min: number;
  max: number;
}

/** Pixel position of `value` on an axis running from pixel `from` (at range.min) to `to` (at range.max). */
export function toPixel(range: Range, from: number, to: number, value: number): number {
  return from + ((value - range.min) / (range.max - range.min)) * (to - from);
}

/** About one primary division per 60 pixels, as ROOT's 510 divisions give on a full canvas. */
function divisionsFor(pixels: number): number {
  return Math.min(10, Math.max(3, Math.round(pixels / 60)));
}

/** Rough width of a label in DejaVu Sans / Helvetica, to keep the y title clear of the labels. */
function labelWidth(label: string, size: number): number {
  return label.length * 0.6 * size;
}

interface TickLabels {
  ticks: Ticks;
  labels: string[];
  /** Labels of more than 5 digits are scaled by 10^exponent, which is written at the axis end. */
  exponent: number;
}

function tickLabels(range: Range, pixels: number): TickLabels {
  const ticks = niceTicks(range.min, range.max, divisionsFor(pixels));
  const largest = Math.max(...ticks.primary.map(Math.abs), 0);
  const exponent = largest >= 1e5 ? Math.floor(Math.log10(largest)) : 0;
  const scale = 10 ** exponent;
  return {
    ticks,
    exponent,
    labels: ticks.primary.map((value) => formatTick(value / scale, ticks.step / scale)),
  };
}

/** "×10" with the exponent raised after it, starting at x. */
function exponentLabel(x: number, y: number, exponent: number, size: number): TextItem[] {
  const join = x + 1.9 * size;
  return [
    text(join, y, '×10', size, 'end'),
    text(join + 0.1 * size, y - 0.4 * size, String(exponent), 0.75 * size),
  ];
}

/** A tick from (x1, y1) to (x2, y2). */
type Segment = [number, number, number, number];

function tickPath(segments: Segment[]): string {
  const d = segments.map(([x1, y1, x2, y2]) => `M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`).join('');
  return `<path d="${d}" fill="none" ${CRISP_LINE}/>`;
}

export function xAxis(frame: Box, range: Range, title: string, sizes: TextSizes): Layers {
  const { ticks, labels, exponent } = tickLabels(range, frame.width);
  const bottom = frame.y + frame.height;
  const length = 0.03 * frame.height;
  const x = (value: number): number => toPixel(range, frame.x, frame.x + frame.width, value);
  const labelY = bottom + 1.3 * sizes.label;
  const texts = [
    ...ticks.primary.map((value, i) => text(x(value), labelY, labels[i] ?? '', sizes.label, 'middle')),
    text(frame.x + frame.width, labelY + 1.4 * sizes.axisTitle, title, sizes.axisTitle, 'end'),
  ];
  if (exponent > 0)
    texts.push(...exponentLabel(frame.x + frame.width, labelY + 0.2 * sizes.label, exponent, sizes.label));
  return {
    svg: tickPath([
      ...ticks.primary.map((v): Segment => [x(v), bottom, x(v), bottom - length]),
      ...ticks.secondary.map((v): Segment => [x(v), bottom, x(v), bottom - length / 2]),
    ]),
    texts,
  };
}

export function yAxis(frame: Box, range: Range, title: string, sizes: TextSizes): Layers {
  const { ticks, labels, exponent } = tickLabels(range, frame.height);
  const length = 0.03 * frame.width;
  const y = (value: number): number => toPixel(range, frame.y + frame.height, frame.y, value);
  const labelX = frame.x - 0.4 * sizes.label;
  const widest = Math.max(0, ...labels.map((label) => labelWidth(label, sizes.label)));
  const texts = [
    ...ticks.primary.map((value, i) =>
      text(labelX, y(value) + 0.35 * sizes.label, labels[i] ?? '', sizes.label, 'end'),
    ),
    text(labelX - widest - 0.5 * sizes.axisTitle, frame.y, title, sizes.axisTitle, 'end', true),
  ];
  if (exponent > 0) texts.push(...exponentLabel(frame.x, frame.y - 0.4 * sizes.label, exponent, sizes.label));
  return {
    svg: tickPath([
      ...ticks.primary.map((v): Segment => [frame.x, y(v), frame.x + length, y(v)]),
      ...ticks.secondary.map((v): Segment => [frame.x, y(v), frame.x + length / 2, y(v)]),
    ]),
    texts,
  };
}

/** The axis of a palette bar: ticks on its right edge, labels to its right. */
export function paletteAxis(bar: Box, range: Range, sizes: TextSizes): Layers {
  const { ticks, labels, exponent } = tickLabels(range, bar.height);
  const right = bar.x + bar.width;
  const y = (value: number): number => toPixel(range, bar.y + bar.height, bar.y, value);
  const texts = ticks.primary.map((value, i) =>
    text(right + 0.3 * sizes.label, y(value) + 0.35 * sizes.label, labels[i] ?? '', sizes.label),
  );
  if (exponent > 0) texts.push(...exponentLabel(bar.x, bar.y - 0.4 * sizes.label, exponent, sizes.label));
  return {
    svg: tickPath(ticks.primary.map((v): Segment => [right, y(v), right - 0.3 * bar.width, y(v)])),
    texts,
  };
}
