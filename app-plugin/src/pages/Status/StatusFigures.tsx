import React from 'react';
import { dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { ServerStatus } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

const count = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const bytes = (n: number) => formattedValueToString(getValueFormat('bytes')(n));
const ms = (n: number | null) => (n === null ? '–' : `${decimal.format(n)} ms`);
const seconds = (s: number) => formattedValueToString(getValueFormat('s')(s));

type Health = 'ok' | 'warn' | 'bad' | 'off';

interface Figure {
  /** For the test id: status-<name>. */
  name: string;
  title: string;
  value: string;
  lines?: string[];
  health?: Health;
}

const EPICS_STATE: Record<ServerStatus['epics']['state'], [string, Health]> = {
  not_configured: ['not configured', 'off'],
  connecting: ['connecting…', 'warn'],
  connected: ['connected', 'ok'],
  disconnected: ['disconnected', 'bad'],
};

/** The figures of GET /status, a tile each: what keeps up and what does not. */
export function figuresOf(status: ServerStatus): Figure[] {
  const { workers, queue, throughput, latencyMs, influx, epics, storage } = status;
  const [epicsState, epicsHealth] = EPICS_STATE[epics.state];
  const sinkFailures = Object.entries(status.verdictSinks).filter(([, s]) => s.failures > 0);
  return [
    {
      name: 'backend',
      title: 'Backend',
      value: status.backend.name,
      lines: [
        `version ${status.version}, up ${seconds(status.uptimeSeconds)}`,
        ...status.backend.skipped.map((reason) => `skipped: ${reason}`),
      ],
      health: status.backend.name === 'cpu' ? 'warn' : 'ok',
    },
    {
      name: 'workers',
      title: 'Workers busy',
      value: `${workers.busy} of ${workers.size}`,
      lines: [
        `${workers.queued} request${workers.queued === 1 ? '' : 's'} waiting for a worker`,
        ...workers.perWorker.map(
          (w) =>
            `worker ${w.worker}: ${Math.round((100 * w.busySeconds) / Math.max(w.upSeconds, 1e-9))}% busy (${seconds(w.busySeconds)} of ${seconds(w.upSeconds)})`
        ),
      ],
      health: workers.size === 0 ? 'bad' : workers.queued > 0 ? 'warn' : 'ok',
    },
    {
      name: 'pending',
      title: 'Queue',
      value: `${count.format(queue.pending)} pending`,
      lines: [
        `${count.format(queue.classified)} classified`,
        `${count.format(queue.failed)} failed, ${count.format(queue.noModel)} without a model`,
      ],
      health: queue.failed > 0 ? 'warn' : 'ok',
    },
    {
      name: 'throughput',
      title: 'Throughput',
      value: `${decimal.format(throughput.imagesPerSecond)} images/s`,
      lines: [`${count.format(throughput.classifiedLastMinute)} classified in the last minute`],
    },
    {
      name: 'latency',
      title: 'Latency (image to verdict)',
      value: `p50 ${ms(latencyMs.p50)}`,
      lines: [`p99 ${ms(latencyMs.p99)}`, `${count.format(latencyMs.samples)} samples`],
    },
    {
      name: 'influx',
      title: 'InfluxDB',
      value: !influx.enabled ? 'off' : influx.healthy ? 'healthy' : 'unhealthy',
      lines: influx.enabled
        ? [
            `${count.format(influx.buffered)} points buffered, ${count.format(influx.written)} written`,
            `${count.format(influx.dropped)} dropped, ${count.format(influx.rejected)} rejected, ${count.format(influx.failedWrites)} failed writes`,
            influx.ping?.reachable
              ? `ping ${ms(influx.ping.latencyMs)}${influx.ping.version ? `, version ${influx.ping.version}` : ''}`
              : `ping failed${influx.ping?.error ? `: ${influx.ping.error}` : ''}`,
            ...(influx.lastError ? [`last error: ${influx.lastError}`] : []),
          ]
        : ['HYDRA_INFLUX_URL is empty: verdicts are not written to InfluxDB'],
      health: !influx.enabled ? 'off' : influx.healthy && influx.dropped === 0 ? 'ok' : 'bad',
    },
    {
      name: 'epics',
      title: 'EPICS',
      value: epicsState,
      lines:
        epics.state === 'not_configured'
          ? ['HYDRA_EPICS_CA_ADDR_LIST is empty']
          : [
              `${epics.addrList ?? ''}${epics.since ? ` since ${dateTimeFormat(epics.since)}` : ''}`,
              `puts: ${epics.puts.ok} ok, ${epics.puts.failed} failed, ${epics.puts.droppedWhileDown} dropped while down`,
              `beam ${epics.beam.state}${epics.run.number !== null ? `, run ${epics.run.number}` : ''}`,
              ...(epics.lastError ? [`last error: ${epics.lastError}`] : []),
            ],
      health: epicsHealth,
    },
    {
      name: 'storage',
      title: 'Image store',
      value: storage ? bytes(storage.imageBytes) : 'measuring…',
      lines: storage
        ? [`${count.format(storage.images)} files, measured ${dateTimeFormat(storage.measuredAt)}`]
        : ['the first walk of the store since start-up is under way'],
    },
    {
      name: 'catalog',
      title: 'Catalog',
      value: status.catalog.engine,
      lines: [
        status.catalog.healthy ? 'answers' : 'does not answer',
        ...sinkFailures.map(([sink, s]) => `${sink}: ${s.failures} failed deliveries`),
      ],
      health: status.catalog.healthy ? (sinkFailures.length ? 'warn' : 'ok') : 'bad',
    },
  ];
}

export function StatusFigures({ status }: { status: ServerStatus }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.tiles}>
      {figuresOf(status).map((figure) => (
        <div
          key={figure.name}
          className={cx(styles.tile, figure.health && styles[figure.health])}
          data-testid={testIds.status.figure(figure.name)}
        >
          <div className={styles.title}>{figure.title}</div>
          <div className={styles.value}>{figure.value}</div>
          {figure.lines?.map((line) => (
            <div key={line} className={styles.line}>
              {line}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tiles: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: theme.spacing(1) }),
  tile: css({
    padding: theme.spacing(1, 1.5),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderLeft: `4px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
  }),
  ok: css({ borderLeftColor: theme.colors.success.main }),
  warn: css({ borderLeftColor: theme.colors.warning.main }),
  bad: css({ borderLeftColor: theme.colors.error.main }),
  off: css({ borderLeftColor: theme.colors.text.disabled }),
  title: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  value: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  line: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
