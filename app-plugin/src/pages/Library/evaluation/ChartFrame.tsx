import React, { type ReactNode } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';

// A small SVG chart: the views draw a few dozen points, which a chart library would not make clearer.

export const WIDTH = 320;
export const HEIGHT = 200;
const MARGIN = { top: 10, right: 12, bottom: 34, left: 40 };

export interface Scale {
  x(value: number): number;
  y(value: number): number;
}

export interface ChartFrameProps {
  /** Read by screen readers, and shown above the chart. */
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: number[];
  yTicks: number[];
  formatTick?: (value: number) => string;
  testId?: string;
  /** The marks, drawn with the frame's scale. */
  children: (scale: Scale) => ReactNode;
  legend?: ReactNode;
}

/** Axes with ticks and labels around marks drawn in data coordinates. */
export function ChartFrame(props: ChartFrameProps) {
  const { title, xLabel, yLabel, xDomain, yDomain, xTicks, yTicks, formatTick = String, testId } = props;
  const styles = useStyles2(getStyles);
  const span = (domain: [number, number]) => domain[1] - domain[0] || 1;
  const scale: Scale = {
    x: (value) => MARGIN.left + ((value - xDomain[0]) / span(xDomain)) * (WIDTH - MARGIN.left - MARGIN.right),
    y: (value) =>
      HEIGHT - MARGIN.bottom - ((value - yDomain[0]) / span(yDomain)) * (HEIGHT - MARGIN.top - MARGIN.bottom),
  };
  const bottom = scale.y(yDomain[0]);
  const left = scale.x(xDomain[0]);
  return (
    <figure className={styles.figure} data-testid={testId}>
      <figcaption className={styles.title}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className={styles.svg} role="img" aria-label={title}>
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={left} x2={scale.x(xDomain[1])} y1={scale.y(tick)} y2={scale.y(tick)} className={styles.grid} />
            <text x={left - 4} y={scale.y(tick) + 3} textAnchor="end" className={styles.tick}>
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={scale.x(tick)} y={bottom + 12} textAnchor="middle" className={styles.tick}>
            {formatTick(tick)}
          </text>
        ))}
        <line x1={left} x2={scale.x(xDomain[1])} y1={bottom} y2={bottom} className={styles.axis} />
        <line x1={left} x2={left} y1={scale.y(yDomain[1])} y2={bottom} className={styles.axis} />
        <text x={(left + scale.x(xDomain[1])) / 2} y={HEIGHT - 4} textAnchor="middle" className={styles.label}>
          {xLabel}
        </text>
        <text
          transform={`translate(10 ${(bottom + scale.y(yDomain[1])) / 2}) rotate(-90)`}
          textAnchor="middle"
          className={styles.label}
        >
          {yLabel}
        </text>
        {props.children(scale)}
      </svg>
      {props.legend}
    </figure>
  );
}

/** Evenly spaced ticks from `from` to `to`, both included. */
export const ticks = (from: number, to: number, count: number) =>
  Array.from({ length: count + 1 }, (_, i) => from + ((to - from) * i) / count);

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({ margin: 0, minWidth: 260, flex: '1 1 300px', maxWidth: 480 }),
  title: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  svg: css({ width: '100%', height: 'auto', display: 'block' }),
  grid: css({ stroke: theme.colors.border.weak, strokeWidth: 0.5 }),
  axis: css({ stroke: theme.colors.border.strong, strokeWidth: 1 }),
  tick: css({ fill: theme.colors.text.secondary, fontSize: 9 }),
  label: css({ fill: theme.colors.text.secondary, fontSize: 10 }),
});
