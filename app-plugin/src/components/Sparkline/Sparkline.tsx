import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';

interface Props {
  /** Oldest first; null is a gap (e.g. no latency measured in that sample). */
  values: Array<number | null>;
  width?: number;
  height?: number;
  /** Accessible name, e.g. "Images per second over the last hour". */
  label: string;
  colour?: string;
  'data-testid'?: string;
}

/** A small line of recent values, scaled from 0 to its maximum, with gaps where a value is missing. */
export function Sparkline({ values, width = 240, height = 40, label, colour, ...props }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  const x = (i: number) => (values.length < 2 ? width : (i / (values.length - 1)) * width);
  const y = (v: number) => height - 1 - (max === 0 ? 0 : (v / max) * (height - 2));
  // One polyline per run of present values.
  const runs: string[][] = [[]];
  values.forEach((value, i) => {
    if (value === null) {
      runs.push([]);
    } else {
      runs[runs.length - 1]!.push(`${x(i).toFixed(1)},${y(value).toFixed(1)}`);
    }
  });
  const lines = runs.filter((points) => points.length > 0).map((points) => points.join(' '));
  return (
    <svg
      className={styles.svg}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={props['data-testid']}
    >
      {lines.map((line) => (
        <polyline key={line} points={line} fill="none" stroke={colour ?? theme.colors.primary.main} strokeWidth={1.5} />
      ))}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', background: theme.colors.background.canvas, borderRadius: theme.shape.radius.default }),
});
