import React, { useEffect, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { Input } from '@grafana/ui';

interface Props {
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  type?: 'text' | 'number' | 'datetime-local';
  width?: number;
  'aria-label': string;
  'data-testid'?: string;
}

/** A filter field that changes the query when left or on Enter, not on every keystroke. */
export function CommitInput({ value, onCommit, ...props }: Props) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => draft !== value && onCommit(draft);
  return (
    <Input
      {...props}
      value={draft}
      onChange={(event: ChangeEvent<HTMLInputElement>) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => event.key === 'Enter' && commit()}
    />
  );
}
