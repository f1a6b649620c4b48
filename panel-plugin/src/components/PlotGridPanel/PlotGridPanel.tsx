import React, { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { EmptyState, Input, Select, Switch, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { HydraClient } from '@hydra/plugin-kit/client';
import { PLOTS_FRAME_NAME, type HydraFrameMeta } from '@hydra/plugin-kit/frames';
import { useAlarm } from '../../alarm/useAlarm';
import { FAILED, NO_IMAGE, NO_MODEL, PENDING } from '../../constants';
import { useHiddenPlots } from '../../hiddenPlots';
import { categoryOf, isBad, rowsFromFrame } from '../../rows';
import { testIds } from '../../testIds';
import type { PanelOptions, PlotRow } from '../../types';
import { AlarmBar } from '../AlarmBar/AlarmBar';
import { Header } from '../Header/Header';
import { Legend, type LegendEntry } from '../Legend/Legend';
import { PlotCard } from '../PlotCard/PlotCard';
import { Viewer } from '../Viewer/Viewer';

type Props = PanelProps<PanelOptions>;

const STATE_COLOURS: Record<string, string> = {
  [NO_MODEL]: '#9FA7B3',
  [NO_IMAGE]: '#5a5f66',
  [PENDING]: '#8AB8FF',
  [FAILED]: '#FF9830',
};

/** The live plot grid: header, legend, filters, the Bad plots on top, the cards, the viewer and the alarm. */
export function PlotGridPanel({ data, options, id, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const frame = data.series.find((f) => f.name === PLOTS_FRAME_NAME);
  const meta = frame?.meta?.custom as HydraFrameMeta | undefined;

  const previous = useRef(new Map<number, PlotRow>());
  const rows = useMemo(() => {
    const next = rowsFromFrame(frame, previous.current);
    previous.current = new Map(next.map((row) => [row.plotTypeId, row]));
    return next;
  }, [frame]);

  const apiUrl = meta?.apiUrl;
  const client = useMemo(() => (apiUrl ? new HydraClient(apiUrl) : undefined), [apiUrl]);
  const run = rows.reduce<number | null>(
    (max, row) => (row.run !== null && (max === null || row.run > max) ? row.run : max),
    null
  );
  const lastUpdate = rows.reduce<number | null>(
    (max, row) => (row.time !== null && (max === null || row.time > max) ? row.time : max),
    null
  );
  const beam = useBeamState(client, meta?.deployment, run);
  const serverNews = useServerNews(client, meta?.deployment, lastUpdate);

  const [hidden, toggleHidden] = useHiddenPlots(String(id));
  const [showHidden, setShowHidden] = useState(false);
  const [group, setGroup] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<PlotRow | undefined>();
  const alarm = useAlarm(rows, options.speakNames);

  const legend = useMemo(() => {
    const entries = new Map<string, LegendEntry>();
    for (const row of rows) {
      for (const c of row.classes) {
        if (!entries.has(c.name)) {
          entries.set(c.name, { name: c.name, colour: c.colour, count: 0 });
        }
      }
      const name = categoryOf(row);
      const entry = entries.get(name) ?? { name, colour: row.colour ?? STATE_COLOURS[name] ?? '#9FA7B3', count: 0 };
      entry.count += 1;
      entries.set(name, entry);
    }
    return [...entries.values()];
  }, [rows]);
  const groups = useMemo(() => [...new Set(rows.map((row) => row.group))].sort(), [rows]);

  const visible = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const shown = rows.filter(
      (row) =>
        (showHidden || !hidden.has(row.plotType)) &&
        (!group || row.group === group) &&
        (!category || categoryOf(row) === category) &&
        (!needle || row.title.toLowerCase().includes(needle) || row.plotType.toLowerCase().includes(needle))
    );
    return [...shown.filter(isBad), ...shown.filter((row) => !isBad(row))];
  }, [rows, hidden, showHidden, group, category, text]);
  const badCount = visible.filter(isBad).length;

  const grid = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (open || visible.length === 0) {
      return;
    }
    const columns = grid.current
      ? getComputedStyle(grid.current).gridTemplateColumns.split(' ').filter(Boolean).length || 1
      : 1;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    if (event.key in moves) {
      event.preventDefault();
      setSelected((index) => Math.min(visible.length - 1, Math.max(0, index + moves[event.key]!)));
    } else if (event.key === 'Enter') {
      setOpen(visible[Math.min(selected, visible.length - 1)]);
    }
  };
  const openCard = useCallback((row: PlotRow) => setOpen(row), []);

  const error = data.errors?.[0] ?? data.error;
  if (error && rows.length === 0) {
    return (
      <div className={styles.state} data-testid={testIds.errorState}>
        <EmptyState variant="not-found" message="The plots could not be loaded">
          {error.message} Check the Hydra data source settings (Test button) and the query&apos;s deployment.
        </EmptyState>
      </div>
    );
  }
  if (!frame || rows.length === 0) {
    return (
      <div className={styles.state} data-testid={testIds.emptyState}>
        <EmptyState variant="call-to-action" message="No plots yet">
          Choose the Hydra data source with the &quot;Latest plots&quot; query and a deployment. Plot types appear when
          they are registered or their first plot is ingested.
        </EmptyState>
      </div>
    );
  }

  const card = (row: PlotRow, index: number) => (
    <PlotCard
      key={row.plotTypeId}
      row={row}
      selected={index === selected}
      hidden={hidden.has(row.plotType)}
      onOpen={openCard}
      onToggleHidden={toggleHidden}
    />
  );

  return (
    <div
      className={styles.panel}
      style={{ width, height }}
      data-testid={testIds.panel}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onClick={alarm.soundLocked ? alarm.enableSound : undefined}
    >
      <Header beam={beam} run={run} lastUpdate={lastUpdate} news={serverNews ?? options.news} />
      <AlarmBar alarm={alarm} />
      <Legend entries={legend} active={category} onSelect={setCategory} />
      <div className={styles.filters}>
        <div data-testid={testIds.filters.group}>
          <Select
            aria-label="Plot group"
            placeholder="All groups"
            isClearable
            width={20}
            options={groups.map((g) => ({ label: g, value: g }))}
            value={group}
            onChange={(option) => setGroup(option?.value ?? null)}
          />
        </div>
        <Input
          data-testid={testIds.filters.text}
          placeholder="Filter plots by name"
          value={text}
          width={30}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <label className={styles.toggle}>
          <Switch
            data-testid={testIds.filters.showHidden}
            value={showHidden}
            onChange={() => setShowHidden((s) => !s)}
          />
          Show hidden ({hidden.size})
        </label>
      </div>
      {badCount > 0 && (
        <section className={styles.bad} data-testid={testIds.badSection}>
          <h6>Bad plots ({badCount})</h6>
          <div className={styles.grid}>{visible.slice(0, badCount).map((row, i) => card(row, i))}</div>
        </section>
      )}
      <div className={styles.grid} ref={grid} data-testid={testIds.grid}>
        {visible.slice(badCount).map((row, i) => card(row, i + badCount))}
      </div>
      {open && client && meta && (
        <Viewer
          row={rows.find((row) => row.plotTypeId === open.plotTypeId) ?? open}
          client={client}
          deployment={meta.deployment}
          historyLength={options.historyLength}
          labelerUrl={options.labelerUrl}
          onClose={() => setOpen(undefined)}
        />
      )}
    </div>
  );
}

/** The beam state of the current run, from GET /runs; "unknown" when the server does not say. */
function useBeamState(client: HydraClient | undefined, deployment: string | undefined, run: number | null): string {
  const [beam, setBeam] = useState('unknown');
  useEffect(() => {
    if (!client || !deployment) {
      return;
    }
    let cancelled = false;
    client
      .runs(deployment, 1)
      .then(({ items }) => !cancelled && setBeam(items[0]?.beamState ?? 'unknown'))
      .catch(() => !cancelled && setBeam('unknown'));
    return () => {
      cancelled = true;
    };
  }, [client, deployment, run]);
  return beam;
}

/** The server's current news item for the deployment, asked again with each update; null when there is none. */
function useServerNews(client: HydraClient | undefined, deployment: string | undefined, update: number | null) {
  const [news, setNews] = useState<string | null>(null);
  useEffect(() => {
    if (!client || !deployment) {
      return;
    }
    let cancelled = false;
    client
      .news(deployment)
      .then(({ current }) => !cancelled && setNews(current?.text ?? null))
      // An older server has no news route: the panel's own news option stays.
      .catch(() => !cancelled && setNews(null));
    return () => {
      cancelled = true;
    };
  }, [client, deployment, update]);
  return news;
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), overflow: 'auto', outline: 'none' }),
  state: css({ height: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center' }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  toggle: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(1) }),
  bad: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.error.border}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.error.transparent,
    h6: { margin: theme.spacing(0, 0, 1) },
  }),
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: theme.spacing(1) }),
});
