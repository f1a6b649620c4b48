import React, { useEffect, useState } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import { migrateVariableQuery } from '../../migrations';
import { testIds } from '../../testIds';
import type {
  HydraOptions,
  HydraQuery,
  HydraVariableKind,
  HydraVariableTarget,
  StoredVariableQuery,
} from '../../types';

type Props = QueryEditorProps<DataSource, HydraQuery, HydraOptions, HydraVariableTarget>;

const KINDS: Array<SelectableValue<HydraVariableKind>> = [
  {
    value: 'deployments',
    label: 'Deployments',
    description: 'The names of all deployments registered on the inference server, e.g. for a $deployment variable.',
  },
  {
    value: 'groups',
    label: 'Groups',
    description: 'The plot groups of one deployment (CDC, FCAL, …), e.g. for a $group variable.',
  },
  {
    value: 'plotTypes',
    label: 'Plot types',
    description:
      "The plot type names of one deployment, or only of one group's plot types, e.g. for a $plotType variable.",
  },
];

type TextField = 'deployment' | 'group';

/** The text fields, each shown for the kinds that use it. */
const TEXT_FIELDS: Array<{
  key: TextField;
  label: string;
  tooltip: string;
  placeholder: string;
  kinds: HydraVariableKind[];
}> = [
  {
    key: 'deployment',
    label: 'Deployment',
    tooltip: "Deployment name, or a variable such as $deployment; empty: the data source's default",
    placeholder: '$deployment',
    kinds: ['groups', 'plotTypes'],
  },
  {
    key: 'group',
    label: 'Group',
    tooltip: "Only this plot group's plot types (optional), or a variable such as $group",
    placeholder: 'all groups',
    kinds: ['plotTypes'],
  },
];

/**
 * What a query variable lists. Deployment and group accept template variables such as $deployment; an empty
 * deployment means the data source's default. A legacy text query (`groups($deployment)`) is shown, and saved, typed.
 */
export function VariableQueryEditor({ query, onChange }: Props) {
  // Grafana passes a variable's query as saved: old dashboards hold the text form.
  const stored = query as StoredVariableQuery;
  const current = migrateVariableQuery(stored);
  // Kept across kinds, reported on blur: each onChange re-runs the variable's query.
  const [text, setText] = useState<Record<TextField, string>>({
    deployment: current.kind === 'deployments' ? '' : current.deployment,
    group: (current.kind === 'plotTypes' && current.group) || '',
  });

  useEffect(() => {
    if (typeof stored === 'string') {
      onChange(migrateVariableQuery(stored));
    }
  }, [stored, onChange]);

  const change = (kind: HydraVariableKind) => {
    const next = migrateVariableQuery({ refId: current.refId, kind, ...text });
    if (JSON.stringify(next) !== JSON.stringify(current)) {
      onChange(next);
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="List" labelWidth={14}>
        <RadioButtonGroup
          data-testid={testIds.variableEditor.kind}
          options={KINDS}
          value={current.kind}
          onChange={change}
        />
      </InlineField>
      {TEXT_FIELDS.filter((field) => field.kinds.includes(current.kind)).map(({ key, label, tooltip, placeholder }) => (
        <InlineField key={key} label={label} labelWidth={14} tooltip={tooltip}>
          <Input
            data-testid={testIds.variableEditor[key]}
            value={text[key]}
            placeholder={placeholder}
            onChange={(event) => setText({ ...text, [key]: event.currentTarget.value })}
            onBlur={() => change(current.kind)}
            width={24}
          />
        </InlineField>
      ))}
      <div data-testid={testIds.variableEditor.description}>
        <Text color="secondary" italic>
          {KINDS.find((option) => option.value === current.kind)?.description ?? ''}
        </Text>
      </div>
    </Stack>
  );
}
