import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import { testIds } from '../../testIds';

export interface LegendEntry {
  name: string;
  colour: string;
  count: number;
}

interface Props {
  entries: LegendEntry[];
  active: string | null;
  onSelect: (name: string | null) => void;
}

/** Classes with their colours and counts; a click shows only that class, a second click shows all. */
export function Legend({ entries, active, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.legend}>
      {entries.map((entry) => (
        <button
          key={entry.name}
          type="button"
          data-testid={testIds.legendItem(entry.name)}
          aria-pressed={active === entry.name}
          className={cx(styles.item, active === entry.name && styles.active)}
          onClick={() => onSelect(active === entry.name ? null : entry.name)}
        >
          <span className={styles.swatch} style={{ background: entry.colour }} />
          {entry.name} <strong>{entry.count}</strong>
        </button>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  item: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.25, 1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.pill,
    background: 'transparent',
    color: theme.colors.text.primary,
    cursor: 'pointer',
  }),
  active: css({ borderColor: theme.colors.primary.border, background: theme.colors.action.selected }),
  swatch: css({ width: 12, height: 12, borderRadius: '50%' }),
});
