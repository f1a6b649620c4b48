import React from 'react';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { InlineField, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Deployment, PlotTypeInfo } from '@hydra/inference-server/api';
import type { LogQuery } from '@hydra/plugin-kit/client';
import { CommitInput } from '../../components/CommitInput/CommitInput';
import { RunRange } from '../../components/RunRange/RunRange';
import { testIds } from '../../testIds';

export interface LogFilterState {
  deploymentId?: number;
  plotTypeId?: number;
  verdict: string;
  confirmed: '' | 'true' | 'false';
  from: string;
  to: string;
  runFrom: string;
  runTo: string;
}

export const DEFAULT_LOG_FILTERS: LogFilterState = {
  verdict: '',
  confirmed: '',
  from: '',
  to: '',
  runFrom: '',
  runTo: '',
};

const CONFIRMED: Array<SelectableValue<LogFilterState['confirmed']>> = [
  { label: 'Confirmed or not', value: '' },
  { label: 'Confirmed', value: 'true' },
  { label: 'Unconfirmed', value: 'false' },
];

const number = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));

/** The server's query of the fields; no time given is the server's trailing 24 h. */
export function toLogQuery(state: LogFilterState): LogQuery {
  return {
    deploymentId: state.deploymentId,
    plotTypeId: state.plotTypeId,
    class: state.verdict || undefined,
    confirmed: state.confirmed === '' ? undefined : state.confirmed === 'true',
    from: state.from ? new Date(state.from).toISOString() : undefined,
    to: state.to ? new Date(state.to).toISOString() : undefined,
    runFrom: number(state.runFrom),
    runTo: number(state.runTo),
  };
}

interface Props {
  value: LogFilterState;
  deployments: Deployment[];
  plotTypes: PlotTypeInfo[];
  onChange: (value: LogFilterState) => void;
}

/** Time, runs, deployment, plot type, verdict class and confirmed / unconfirmed. */
export function LogFilters({ value, deployments, plotTypes, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const set =
    <K extends keyof LogFilterState>(key: K) =>
    (v: LogFilterState[K]) =>
      onChange({ ...value, [key]: v });
  const deployment = deployments.find((d) => d.id === value.deploymentId);
  const shownPlotTypes = plotTypes.filter((p) => !deployment || p.deployment === deployment.name);
  const classes = [
    ...new Set(shownPlotTypes.flatMap((p) => p.classes.filter((c) => c.severity !== 'ok').map((c) => c.name))),
  ];
  return (
    <div className={styles.bar}>
      <InlineField label="From" tooltip="Empty: the last 24 hours">
        <CommitInput aria-label="Log from" type="datetime-local" value={value.from} onCommit={set('from')} />
      </InlineField>
      <InlineField label="to">
        <CommitInput aria-label="Log to" type="datetime-local" value={value.to} onCommit={set('to')} />
      </InlineField>
      <RunRange
        label="Log"
        emptyMeans="every run"
        testIds={{ from: testIds.log.runFrom, to: testIds.log.runTo }}
        from={value.runFrom}
        to={value.runTo}
        onChange={({ from, to }) => onChange({ ...value, runFrom: from, runTo: to })}
      />
      <InlineField label="Deployment">
        <Select
          aria-label="Log deployment"
          width={20}
          isClearable
          placeholder="all"
          options={deployments.map((d) => ({ label: d.title || d.name, value: d.id }))}
          value={value.deploymentId ?? null}
          onChange={(option) => onChange({ ...value, deploymentId: option?.value, plotTypeId: undefined })}
        />
      </InlineField>
      <InlineField label="Plot type">
        <Select
          data-testid={testIds.log.plotType}
          aria-label="Log plot type"
          width={26}
          isClearable
          placeholder="all"
          options={shownPlotTypes.map((p) => ({ label: p.name, value: p.id, description: p.title }))}
          value={value.plotTypeId ?? null}
          onChange={(option) => set('plotTypeId')(option?.value)}
        />
      </InlineField>
      <InlineField label="Verdict">
        <Select
          aria-label="Log verdict"
          width={16}
          isClearable
          placeholder="any"
          options={classes.map((name) => ({ label: name, value: name }))}
          value={value.verdict || null}
          onChange={(option) => set('verdict')(option?.value ?? '')}
        />
      </InlineField>
      <InlineField label="Confirmed">
        <Select
          data-testid={testIds.log.confirmed}
          aria-label="Log confirmed"
          width={20}
          options={CONFIRMED}
          value={value.confirmed}
          onChange={(option) => set('confirmed')(option.value ?? '')}
        />
      </InlineField>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1) }),
});
