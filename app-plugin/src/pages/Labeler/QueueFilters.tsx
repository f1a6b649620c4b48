import React, { memo } from 'react';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { InlineField, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import type { QueueFilter, QueueQuery, QueueSort } from '@hydra/plugin-kit/client';
import { CommitInput } from '../../components/CommitInput/CommitInput';
import { testIds } from '../../testIds';

/** The filter fields as typed; `toQuery` makes the server's query of them. */
export interface FilterState {
  filter: QueueFilter;
  labeledAs: string;
  labeledBy: string;
  maxConfidence: string;
  runFrom: string;
  runTo: string;
  from: string;
  to: string;
  sort: QueueSort;
}

export const DEFAULT_FILTERS: FilterState = {
  filter: 'all',
  labeledAs: '',
  labeledBy: '',
  maxConfidence: '',
  runFrom: '',
  runTo: '',
  from: '',
  to: '',
  sort: 'newest',
};

const FILTERS: Array<SelectableValue<QueueFilter>> = [
  { label: 'All images', value: 'all' },
  { label: 'Unlabelled', value: 'unlabeled' },
  { label: 'Labelled', value: 'labeled' },
  { label: 'Label disagrees with the model', value: 'disagreement' },
];

export const SORTS: Array<SelectableValue<QueueSort>> = [
  { label: 'Newest first', value: 'newest' },
  { label: 'By run', value: 'run' },
  { label: 'Least confident', value: 'least-confident', description: 'Active learning: lowest top-1 probability' },
  { label: 'Smallest margin', value: 'smallest-margin', description: 'Top-1 minus top-2 probability' },
  { label: 'Highest entropy', value: 'highest-entropy', description: 'Most spread-out probabilities' },
  { label: 'Most mistaken', value: 'most-mistaken', description: 'Confident verdicts that disagree with the label' },
  {
    label: 'Most unique',
    value: 'most-unique',
    description: 'Least like the other images, near-duplicates aside (scored by the latest Clusters view)',
  },
];

const number = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));
const time = (text: string) => (text ? new Date(text).toISOString() : undefined);

/** The server's query of the fields; an empty field is no filter. */
export function toQuery(plotTypeId: number, state: FilterState): QueueQuery {
  const confidence = number(state.maxConfidence);
  return {
    plotTypeId,
    filter: state.labeledAs ? 'labeled' : state.filter,
    labeledAs: state.labeledAs || undefined,
    labeledBy: state.labeledBy.trim() || undefined,
    maxConfidence: confidence === undefined ? undefined : confidence / 100,
    runFrom: number(state.runFrom),
    runTo: number(state.runTo),
    from: time(state.from),
    to: time(state.to),
  };
}

interface Props {
  value: FilterState;
  classes: PlotClass[];
  onChange: (value: FilterState) => void;
}

/** Filters (unlabelled, labelled as, disagreeing, low confidence, runs, capture time, labelled by) and the order. */
export const QueueFilters = memo(function QueueFilters({ value, classes, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const set =
    <K extends keyof FilterState>(key: K) =>
    (v: FilterState[K]) =>
      onChange({ ...value, [key]: v });
  return (
    <div className={styles.bar}>
      <InlineField label="Show">
        <Select
          data-testid={testIds.labeler.filter}
          aria-label="Filter"
          width={30}
          options={FILTERS}
          value={value.filter}
          onChange={(option) => set('filter')(option.value ?? 'all')}
        />
      </InlineField>
      <InlineField label="Labelled as">
        <Select
          aria-label="Labelled as"
          width={16}
          isClearable
          placeholder="any"
          options={classes.map((c) => ({ label: c.name, value: c.name }))}
          value={value.labeledAs || null}
          onChange={(option) => set('labeledAs')(option?.value ?? '')}
        />
      </InlineField>
      <InlineField label="Confidence below %" tooltip="Low confidence: the latest verdict's confidence is below this">
        <CommitInput
          aria-label="Confidence below"
          type="number"
          width={8}
          value={value.maxConfidence}
          onCommit={set('maxConfidence')}
        />
      </InlineField>
      <InlineField label="Runs">
        <CommitInput aria-label="Run from" type="number" width={10} value={value.runFrom} onCommit={set('runFrom')} />
      </InlineField>
      <InlineField label="to">
        <CommitInput aria-label="Run to" type="number" width={10} value={value.runTo} onCommit={set('runTo')} />
      </InlineField>
      <InlineField label="Captured from">
        <CommitInput aria-label="Captured from" type="datetime-local" value={value.from} onCommit={set('from')} />
      </InlineField>
      <InlineField label="to">
        <CommitInput aria-label="Captured to" type="datetime-local" value={value.to} onCommit={set('to')} />
      </InlineField>
      <InlineField label="Labelled by">
        <CommitInput aria-label="Labelled by" width={14} value={value.labeledBy} onCommit={set('labeledBy')} />
      </InlineField>
      <InlineField label="Order">
        <Select
          data-testid={testIds.labeler.sort}
          aria-label="Order"
          width={22}
          options={SORTS}
          value={value.sort}
          onChange={(option) => set('sort')(option.value ?? 'newest')}
        />
      </InlineField>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1) }),
});
