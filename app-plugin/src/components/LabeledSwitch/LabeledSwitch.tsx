import React from 'react';
import { InlineField, InlineSwitch } from '@grafana/ui';

interface Props {
  label: string;
  tooltip: string;
  testId: string;
  value: boolean;
  onChange: () => void;
}

/** An on/off switch with its label and tooltip, as the pages' bars show them. */
export function LabeledSwitch({ label, tooltip, testId, value, onChange }: Props) {
  return (
    <InlineField label={label} tooltip={tooltip}>
      <InlineSwitch data-testid={testId} value={value} onChange={onChange} />
    </InlineField>
  );
}
