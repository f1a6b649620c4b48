import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { InlineField, RadioButtonGroup, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Deployment } from '@hydra/inference-server/api';
import type { IncidentQuery } from '@hydra/plugin-kit/client';
import { CommitInput } from '../../components/CommitInput/CommitInput';
import { testIds } from '../../testIds';

export interface IncidentFilterState {
  deploymentId?: number;
  /** The period ends when it was chosen and reaches back this many days. */
  days: number;
  endedAt: number;
  gapMinutes: string;
  windowHours: string;
}

export const PERIODS = [
  { label: 'Last 24 h', value: 1 },
  { label: '7 days', value: 7 },
  { label: '30 days', value: 30 },
  { label: '90 days', value: 90 },
];

const DAY_MS = 24 * 3_600_000;

export const defaultIncidentFilters = (now = Date.now()): IncidentFilterState => ({
  days: 7,
  endedAt: now,
  gapMinutes: '30',
  windowHours: '24',
});

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : undefined);

/** The server's query: fixed times, so the CSV and each incident's timeline read the very period the table shows. */
export function toIncidentQuery(state: IncidentFilterState, deploymentId: number): IncidentQuery {
  return {
    deploymentId,
    from: new Date(state.endedAt - state.days * DAY_MS).toISOString(),
    to: new Date(state.endedAt).toISOString(),
    gapMinutes: whole(state.gapMinutes),
    windowHours: whole(state.windowHours),
  };
}

interface Props {
  value: IncidentFilterState;
  deployments: Deployment[];
  onChange: (value: IncidentFilterState) => void;
}

/** Deployment, period, and the two settings of the grouping and the matching. */
export function IncidentFilters({ value, deployments, onChange }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.bar}>
      <InlineField label="Deployment">
        <Select
          data-testid={testIds.incidents.deployment}
          aria-label="Incidents deployment"
          width={24}
          options={deployments.map((d) => ({ label: d.title || d.name, value: d.id }))}
          value={value.deploymentId ?? deployments[0]?.id ?? null}
          onChange={(option) => onChange({ ...value, deploymentId: option.value })}
        />
      </InlineField>
      <InlineField label="Period">
        <div data-testid={testIds.incidents.period}>
          <RadioButtonGroup
            options={PERIODS}
            value={value.days}
            onChange={(days) => onChange({ ...value, days, endedAt: Date.now() })}
          />
        </div>
      </InlineField>
      <InlineField
        label="Gap"
        tooltip="Minutes without a flag that close an incident: flags of a plot type closer than this are one incident"
      >
        <CommitInput
          aria-label="Incidents gap minutes"
          type="number"
          width={8}
          value={value.gapMinutes}
          onCommit={(gapMinutes) => onChange({ ...value, gapMinutes })}
        />
      </InlineField>
      <InlineField
        label="Window"
        tooltip="Hours after its first flag in which a logbook entry can still be an incident's first mention"
      >
        <CommitInput
          aria-label="Incidents window hours"
          type="number"
          width={8}
          value={value.windowHours}
          onCommit={(windowHours) => onChange({ ...value, windowHours })}
        />
      </InlineField>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1) }),
});
