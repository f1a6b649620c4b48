import React from 'react';
import { InlineField } from '@grafana/ui';
import { CommitInput } from '../CommitInput/CommitInput';

interface Props {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
  /** What an empty range means, e.g. "the newest runs". */
  emptyMeans: string;
  /** Names the fields for screen readers and tests: "<label> run from", "<label> run to". */
  label: string;
  testIds: { from: string; to: string };
  width?: number;
}

/** A range of run numbers, both ends optional, committed when a field is left or on Enter. */
export function RunRange({ from, to, onChange, emptyMeans, label, testIds, width = 10 }: Props) {
  return (
    <>
      <InlineField label="Runs" tooltip={`Empty: ${emptyMeans}`}>
        <CommitInput
          aria-label={`${label} run from`}
          data-testid={testIds.from}
          type="number"
          width={width}
          value={from}
          onCommit={(value) => onChange({ from: value, to })}
        />
      </InlineField>
      <InlineField label="to">
        <CommitInput
          aria-label={`${label} run to`}
          data-testid={testIds.to}
          type="number"
          width={width}
          value={to}
          onCommit={(value) => onChange({ from, to: value })}
        />
      </InlineField>
    </>
  );
}
