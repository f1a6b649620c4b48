// A 1D histogram pad: ROOT's HIST (outline over a light fill), BAR (bars) or a graph (line and markers).

import { binCenter, binLowEdge } from '../histogram.ts';
import type { Histogram1D } from '../histogram.ts';
import type { Histogram1DPad } from '../plot-kind.ts';
import { textSizes, toPixel, xAxis, yAxis } from './axes.ts';
import type { Range } from './axes.ts';
import { mergeLayers } from './compose.ts';
import type { Layers } from './compose.ts';
import { formatSignificant, px } from './format.ts';
import { frameClip, frameRect, padTitle } from './pad.ts';
import type { PadDrawing } from './pad.ts';
import { intersectBoxes, pixelBounds } from './raster.ts';
import type { Box } from './raster.ts';
import { statsBox, statsBoxHeight } from './stats-box.ts';

const LINE_COLOUR = '#000099';
const FILL_COLOUR = '#a8c4f0';
const BAR_COLOUR = '#3d6fc4';
const MARKER_RADIUS = 2.2;
/** Room above the highest bin, as ROOT leaves it (gStyle's HistTopMargin), and more for a graph's markers. */
const HEADROOM = { hist: 1.05, bar: 1.05, graph: 1.15 } as const;
/** Anti-aliasing and the line width reach this far past a bin's edges. */
const INK_MARGIN = 2;

export function drawHistogram1DPad(
  spec: Histogram1DPad,
  histogram: Histogram1D,
  pad: Box,
  clipId: string,
  fixedScale: number | undefined,
): PadDrawing {
  const sizes = textSizes(pad);
  const frame: Box = {
    x: pad.x + 0.13 * pad.width,
    y: pad.y + 0.1 * pad.height,
    width: 0.82 * pad.width,
    height: 0.78 * pad.height,
  };
  const maximum = histogram.maximum;
  const scale = fixedScale ?? (maximum > 0 ? HEADROOM[spec.draw] * maximum : 1);
  const yRange: Range = { min: 0, max: scale };
  const bins = spec.x.bins;
  const x = (value: number): number => toPixel(spec.x, frame.x, frame.x + frame.width, value);
  const edge = (bin: number): number => x(binLowEdge(spec.x, bin));
  const centre = (bin: number): number => x(binCenter(spec.x, bin));
  const y = (bin: number): string =>
    px(toPixel(yRange, frame.y + frame.height, frame.y, histogram.contents[bin] as number));
  const base = px(frame.y + frame.height);

  let data = '';
  if (histogram.entries > 0 && spec.draw === 'hist') {
    let d = `M${px(edge(0))} ${base}`;
    for (let bin = 0; bin < bins; bin++) d += `V${y(bin)}H${px(edge(bin + 1))}`;
    data = `<path d="${d}V${base}Z" fill="${FILL_COLOUR}" stroke="${LINE_COLOUR}" stroke-width="1.5"/>`;
  } else if (histogram.entries > 0 && spec.draw === 'bar') {
    let d = '';
    for (let bin = 0; bin < bins; bin++) {
      // ROOT's BAR option with bar width 0.8 and offset 0.1.
      const width = edge(bin + 1) - edge(bin);
      d += `M${px(edge(bin) + 0.1 * width)} ${base}V${y(bin)}h${px(0.8 * width)}V${base}Z`;
    }
    data = `<path d="${d}" fill="${BAR_COLOUR}"/>`;
  } else if (histogram.entries > 0) {
    let line = '';
    let markers = '';
    const r = MARKER_RADIUS;
    for (let bin = 0; bin < bins; bin++) {
      line += `${bin === 0 ? 'M' : 'L'}${px(centre(bin))} ${y(bin)}`;
      markers += `M${px(centre(bin) - r)} ${y(bin)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
    }
    data = `<path d="${line}" fill="none" stroke="${LINE_COLOUR}"/><path d="${markers}" fill="${LINE_COLOUR}"/>`;
  }

  const parts: Layers[] = [
    {
      svg: `${frameClip(clipId, frame)}<g clip-path="url(#${clipId})">${data}</g>${frameRect(frame)}`,
      texts: [padTitle(pad, spec.title, sizes)],
    },
    xAxis(frame, spec.x, spec.x.title, sizes),
    yAxis(frame, yRange, spec.yTitle, sizes),
  ];
  let box: Box | undefined;
  // ROOT shows no stats box for a graph.
  if (spec.draw !== 'graph') {
    const { mean, rms } = histogram.moments();
    const lines = [
      ['Entries', String(Math.round(histogram.entries))],
      ['Mean', formatSignificant(mean)],
      ['RMS', formatSignificant(rms)],
    ] as const;
    const width = 0.2 * pad.width;
    const height = statsBoxHeight(lines.length, sizes.stats);
    box = { x: pad.x + 0.98 * pad.width - width, y: pad.y + 0.075 * pad.height, width, height };
    parts.push(statsBox(box, spec.name, lines, sizes.stats));
  }

  return {
    ...mergeLayers(parts),
    scale,
    ...(box && { statsBox: box }),
    footprint(bin) {
      // A graph's line into a point starts at the previous point and its line out ends at the next one.
      const [left, right] =
        spec.draw === 'graph'
          ? [
              centre(Math.max(0, bin - 1)) - MARKER_RADIUS,
              centre(Math.min(bins - 1, bin + 1)) + MARKER_RADIUS,
            ]
          : [edge(bin), edge(bin + 1)];
      const column = {
        x: left - INK_MARGIN,
        y: frame.y,
        width: right - left + 2 * INK_MARGIN,
        height: frame.height,
      };
      return intersectBoxes(pixelBounds(column), pixelBounds(frame));
    },
  };
}
