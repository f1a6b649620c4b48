import React, { memo, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, ConfirmModal, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { OverridePalette } from '@hydra/plugin-kit/viewer';
import { testIds } from '../../testIds';

interface Props {
  classes: PlotClass[];
  selectedCount: number;
  pendingCount: number;
  /** All images the filter matches on the server. */
  total: number;
  busy: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onPick: (className: string) => void;
  onSelectVisible: () => void;
  onClear: () => void;
  onApply: () => void;
  onApplyToFilter: (className: string) => void;
  onUndo: () => void;
  onRedo: () => void;
}

/**
 * The palette (hotkeys 1–9 label the selection), Apply with the pending count, label-all-matching, undo and redo.
 * Memoized: the queue's chunks arriving as the grid scrolls do not render it again.
 */
export const LabelerActions = memo(function LabelerActions(props: Props) {
  const styles = useStyles2(getStyles);
  const [filterClass, setFilterClass] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className={styles.bar}>
      <OverridePalette
        classes={props.classes}
        caption={props.selectedCount ? `Label ${props.selectedCount} selected as` : 'Select images, then a class'}
        disabled={props.busy}
        onPick={props.onPick}
      />
      <Button size="sm" variant="secondary" data-testid={testIds.labeler.selectVisible} onClick={props.onSelectVisible}>
        Select all on screen
      </Button>
      <Button
        size="sm"
        variant="secondary"
        disabled={!props.selectedCount && !props.pendingCount}
        onClick={props.onClear}
      >
        Clear
      </Button>
      <Button
        size="sm"
        data-testid={testIds.labeler.apply}
        disabled={!props.pendingCount || props.busy}
        onClick={props.onApply}
      >
        Apply (<span data-testid={testIds.labeler.pending}>{props.pendingCount}</span>)
      </Button>
      <Button
        size="sm"
        variant="secondary"
        icon="history-alt"
        data-testid={testIds.labeler.undo}
        disabled={!props.canUndo || props.busy}
        tooltip="Undo the last Apply (Ctrl+Z)"
        onClick={props.onUndo}
      >
        Undo
      </Button>
      <Button
        size="sm"
        variant="secondary"
        data-testid={testIds.labeler.redo}
        disabled={!props.canRedo || props.busy}
        tooltip="Redo (Ctrl+Shift+Z)"
        onClick={props.onRedo}
      >
        Redo
      </Button>
      <span className={styles.filterLabel}>
        <Select
          aria-label="Label all matching as"
          width={16}
          placeholder="class"
          options={props.classes.map((c) => ({ label: c.name, value: c.name }))}
          value={filterClass ?? null}
          onChange={(option) => setFilterClass(option.value)}
        />
        <Button
          size="sm"
          variant="secondary"
          data-testid={testIds.labeler.applyToFilter}
          disabled={!filterClass || !props.total || props.busy}
          onClick={() => setConfirming(true)}
        >
          Label all {props.total} matching
        </Button>
      </span>
      <ConfirmModal
        isOpen={confirming}
        title="Label all matching images"
        body={`Label all ${props.total} images matching the filter as ${filterClass}? Undo takes it back.`}
        confirmText={`Label ${props.total} images`}
        onConfirm={() => {
          setConfirming(false);
          props.onApplyToFilter(filterClass!);
        }}
        onDismiss={() => setConfirming(false)}
      />
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  filterLabel: css({ display: 'flex', gap: theme.spacing(0.5), alignItems: 'center', marginLeft: 'auto' }),
});
