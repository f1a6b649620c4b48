import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { StatusHistory, StatusSample } from '@hydra/plugin-kit/client';
import { Sparkline } from '../../components/Sparkline/Sparkline';
import { testIds } from '../../testIds';

const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

const SERIES: Array<{ key: keyof Omit<StatusSample, 'at'>; title: string; unit: string; colour: string }> = [
  { key: 'pending', title: 'Queue (pending images)', unit: '', colour: 'orange' },
  { key: 'imagesPerSecond', title: 'Throughput', unit: ' images/s', colour: 'green' },
  { key: 'p50', title: 'Latency p50', unit: ' ms', colour: 'blue' },
  { key: 'p99', title: 'Latency p99', unit: ' ms', colour: 'purple' },
  { key: 'busyWorkers', title: 'Busy workers', unit: '', colour: 'yellow' },
  { key: 'influxBuffered', title: 'InfluxDB buffer (points)', unit: '', colour: 'red' },
];

/** The server's own samples of its load (GET /status/history), oldest on the left, a small line per figure. */
export function StatusHistoryCharts({ history }: { history: StatusHistory }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const { samples } = history;
  if (samples.length === 0) {
    return (
      <p className={styles.secondary}>
        No samples yet: the server takes one every {history.intervalSeconds} s after it starts.
      </p>
    );
  }
  return (
    <div data-testid={testIds.status.history}>
      <p className={styles.secondary}>
        {samples.length} samples, {history.intervalSeconds} s apart, from {dateTimeFormat(samples[0]!.at)} to{' '}
        {dateTimeFormat(samples[samples.length - 1]!.at)}.
      </p>
      <div className={styles.charts}>
        {SERIES.map(({ key, title, unit, colour }) => {
          const values = samples.map((s) => s[key]);
          const present = values.filter((v): v is number => v !== null);
          const latest = values[values.length - 1];
          return (
            <div key={key} className={styles.chart}>
              <div className={styles.heading}>
                <span>{title}</span>
                <span>
                  {latest === null || latest === undefined ? '–' : `${decimal.format(latest)}${unit}`}
                  <span className={styles.secondary}>
                    {' '}
                    (max {present.length ? decimal.format(Math.max(...present)) : '–'})
                  </span>
                </span>
              </div>
              <Sparkline
                values={values}
                width={280}
                height={48}
                label={`${title} over the last ${samples.length} samples`}
                colour={theme.visualization.getColorByName(colour)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  charts: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
  chart: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), width: 280 }),
  heading: css({ display: 'flex', justifyContent: 'space-between', fontSize: theme.typography.bodySmall.fontSize }),
  secondary: css({ color: theme.colors.text.secondary, margin: 0 }),
});
