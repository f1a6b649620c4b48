import React, { type ChangeEvent } from 'react';
import type { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineSwitch, Input, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { DataSource } from '../../datasource';
import { migrateQuery } from '../../migrations';
import { testIds } from '../../testIds';
import type { HydraOptions, HydraQuery, QueryType } from '../../types';

type Props = QueryEditorProps<DataSource, HydraQuery, HydraOptions>;

const QUERY_TYPES: Array<SelectableValue<QueryType>> = [
  {
    value: 'plots',
    label: 'Latest plots',
    description: 'The latest image and verdict of every plot type (the plot grid)',
  },
  { value: 'history', label: 'Plot history', description: 'The predictions of one plot type, newest first' },
  {
    value: 'predictions',
    label: 'Predictions',
    description: 'Predictions over the time range, with class probabilities',
  },
  { value: 'log', label: 'Log', description: 'Non-Good verdicts in the time range' },
  { value: 'runs', label: 'Runs', description: 'Runs with image and problem counts' },
  { value: 'models', label: 'Models', description: 'Model versions of every plot type' },
  { value: 'verdictChanges', label: 'Verdict changes', description: 'For annotations: verdict changes and alarms' },
];

/** Which data to read; text fields accept template variables such as $deployment. */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const styles = useStyles2(getStyles);
  const current = migrateQuery(query, datasource.getDefaultQuery().deployment);
  const update = (patch: Partial<HydraQuery>) => {
    onChange({ ...current, ...patch });
    onRunQuery();
  };
  const text = (key: 'deployment' | 'plotType' | 'group') => (event: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...current, [key]: event.target.value });
  const needsPlotType = current.queryType === 'history';

  return (
    <div className={styles.row}>
      <InlineField label="Query" labelWidth={10}>
        <Select
          data-testid={testIds.queryEditor.queryType}
          options={QUERY_TYPES}
          value={current.queryType}
          onChange={(option) => update({ queryType: option.value ?? 'plots' })}
          width={22}
        />
      </InlineField>
      <InlineField label="Deployment" labelWidth={12} tooltip="Deployment name, or $deployment">
        <Input
          data-testid={testIds.queryEditor.deployment}
          value={current.deployment}
          onChange={text('deployment')}
          onBlur={onRunQuery}
          width={20}
        />
      </InlineField>
      {current.queryType === 'plots' && (
        <InlineField label="Group" labelWidth={8} tooltip="Only this plot group (optional), or $group">
          <Input
            data-testid={testIds.queryEditor.group}
            value={current.group ?? ''}
            onChange={text('group')}
            onBlur={onRunQuery}
            width={16}
          />
        </InlineField>
      )}
      {current.queryType !== 'plots' && current.queryType !== 'models' && current.queryType !== 'runs' && (
        <InlineField label="Plot type" labelWidth={10} required={needsPlotType} tooltip="Plot type name, or $plotType">
          <Input
            data-testid={testIds.queryEditor.plotType}
            value={current.plotType ?? ''}
            onChange={text('plotType')}
            onBlur={onRunQuery}
            width={24}
          />
        </InlineField>
      )}
      {current.queryType !== 'plots' && (
        <InlineField label="Limit" labelWidth={8}>
          <Input
            data-testid={testIds.queryEditor.limit}
            type="number"
            value={current.limit}
            onChange={(event: ChangeEvent<HTMLInputElement>) =>
              onChange({ ...current, limit: Number(event.target.value) })
            }
            onBlur={onRunQuery}
            width={10}
          />
        </InlineField>
      )}
      {current.queryType === 'plots' && (
        <InlineField label="Live" labelWidth={8} tooltip="Show new verdicts as they happen">
          <InlineSwitch
            data-testid={testIds.queryEditor.live}
            value={Boolean(current.live)}
            onChange={(event) => update({ live: event.currentTarget.checked })}
          />
        </InlineField>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
});
