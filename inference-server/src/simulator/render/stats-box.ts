// ROOT's statistics box: the histogram name over a rule, then one "label  value" line per statistic.

import type { Layers } from './compose.ts';
import { CRISP_LINE, px, svgRect } from './format.ts';
import type { Box } from './raster.ts';
import { text } from './text.ts';

export type StatisticLine = readonly [label: string, value: string];

const LINE_SPACING = 1.45;

/** The box's height for `lines` statistics at text size `size`. */
export function statsBoxHeight(lines: number, size: number): number {
  return (lines + 1) * LINE_SPACING * size + 0.4 * size;
}

export function statsBox(box: Box, name: string, lines: readonly StatisticLine[], size: number): Layers {
  const lineHeight = LINE_SPACING * size;
  const inset = 0.4 * size;
  const rule = box.y + lineHeight + 0.15 * size;
  return {
    svg:
      svgRect(box, `fill="#fff" ${CRISP_LINE}`) +
      `<path d="M${px(box.x)} ${px(rule)}H${px(box.x + box.width)}" ${CRISP_LINE}/>`,
    texts: [
      text(box.x + box.width / 2, box.y + lineHeight - 0.2 * size, name, size, 'middle'),
      ...lines.flatMap(([label, value], i) => {
        const baseline = rule + (i + 1) * lineHeight - 0.25 * size;
        return [
          text(box.x + inset, baseline, label, size),
          text(box.x + box.width - inset, baseline, value, size, 'end'),
        ];
      }),
    ],
  };
}
