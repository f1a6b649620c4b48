import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { ChartFrame, ticks, type ChartFrameProps } from './ChartFrame';

export interface Series {
  name: string;
  colour: string;
  points: Array<{ x: number; y: number }>;
  dashed?: boolean;
}

type LineChartProps = Omit<ChartFrameProps, 'children' | 'legend' | 'yDomain' | 'yTicks' | 'xTicks'> & {
  series: Series[];
  /** Defaults to [0, 1] (shares); the loss curves give their own. */
  yDomain?: [number, number];
  xTicks?: number[];
  /** A vertical line at this x, e.g. the epoch whose weights were kept. */
  marker?: { x: number; label: string };
};

/** Lines (with a dot per point when there are few) and a legend that names them. */
export function LineChart({ series, marker, yDomain = [0, 1], xTicks, ...frame }: LineChartProps) {
  const styles = useStyles2(getStyles);
  const legend = (
    <div className={styles.legend}>
      {series.map((s) => (
        <span key={s.name} className={styles.entry}>
          <span className={styles.swatch} style={{ background: s.colour }} />
          {s.name}
        </span>
      ))}
      {marker && <span className={styles.entry}>┆ {marker.label}</span>}
    </div>
  );
  return (
    <ChartFrame
      {...frame}
      yDomain={yDomain}
      yTicks={ticks(yDomain[0], yDomain[1], 4)}
      xTicks={xTicks ?? ticks(frame.xDomain[0], frame.xDomain[1], 4)}
      legend={legend}
    >
      {(scale) => (
        <>
          {marker && (
            <line
              x1={scale.x(marker.x)}
              x2={scale.x(marker.x)}
              y1={scale.y(yDomain[0])}
              y2={scale.y(yDomain[1])}
              className={styles.marker}
            />
          )}
          {series.map((s) => (
            // Slightly transparent, so that a curve under another still shows.
            <g key={s.name} stroke={s.colour} fill={s.colour} opacity={0.85}>
              <polyline
                points={s.points.map((p) => `${scale.x(p.x)},${scale.y(p.y)}`).join(' ')}
                fill="none"
                strokeWidth={1.5}
                strokeDasharray={s.dashed ? '4 3' : undefined}
              />
              {s.points.length <= 30 &&
                s.points.map((p, i) => <circle key={i} cx={scale.x(p.x)} cy={scale.y(p.y)} r={2} stroke="none" />)}
            </g>
          ))}
        </>
      )}
    </ChartFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  entry: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ width: 12, height: 3, display: 'inline-block' }),
  marker: css({ stroke: theme.colors.text.disabled, strokeDasharray: '2 2' }),
});
