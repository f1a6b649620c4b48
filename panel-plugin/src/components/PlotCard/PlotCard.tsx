import React, { memo } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import { NO_MODEL } from '../../constants';
import { categoryOf } from '../../rows';
import { testIds } from '../../testIds';
import type { PlotRow } from '../../types';

// One formatter for every card: creating Intl formatters per render is what makes large grids slow.
const TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface Props {
  row: PlotRow;
  selected: boolean;
  hidden: boolean;
  onOpen: (row: PlotRow) => void;
  onToggleHidden: (plotType: string) => void;
}

/** One plot: thumbnail, name, verdict, confidence and time, with a border in its class colour. */
function PlotCardView({ row, selected, hidden, onOpen, onToggleHidden }: Props) {
  const styles = useStyles2(getStyles);
  const category = categoryOf(row);
  const classified = row.state === 'classified';
  return (
    <div
      role="button"
      tabIndex={-1}
      data-testid={testIds.card(row.plotType)}
      data-verdict={category}
      className={cx(
        styles.card,
        !classified && styles.unclassified,
        selected && styles.selected,
        hidden && styles.hidden
      )}
      style={classified && row.colour ? { borderColor: row.colour } : undefined}
      onClick={() => onOpen(row)}
      title={`${row.title} — ${category}`}
    >
      <div className={styles.thumbnail}>
        {row.thumbnailUrl ? (
          <img src={row.thumbnailUrl} alt={row.title} loading="lazy" decoding="async" />
        ) : (
          <span className={styles.placeholder}>No image yet</span>
        )}
      </div>
      <div className={styles.caption}>
        <span className={styles.name}>{row.title}</span>
        {/* A plain button, not IconButton: 200 cards with a tooltip each cost more than the grid itself. */}
        <button
          type="button"
          className={styles.hide}
          title={hidden ? 'Show this plot' : 'Hide this plot (remembered for you)'}
          aria-label={hidden ? 'Show this plot' : 'Hide this plot'}
          data-testid={testIds.cardHide(row.plotType)}
          onClick={(event) => {
            event.stopPropagation();
            onToggleHidden(row.plotType);
          }}
        >
          {hidden ? 'show' : 'hide'}
        </button>
      </div>
      <div className={styles.verdictLine}>
        <span className={styles.verdict} style={classified && row.colour ? { color: row.colour } : undefined}>
          {category === NO_MODEL ? 'No model' : category}
          {classified && !row.confirmed && ' ?'}
        </span>
        {row.confidence !== null && <span>{Math.round(row.confidence * 100)}%</span>}
        {row.time !== null && <span className={styles.time}>{TIME.format(row.time)}</span>}
      </div>
    </div>
  );
}

/** Re-renders only when its own plot changed: rows keep their identity while unchanged (see rows.ts). */
export const PlotCard = memo(PlotCardView);

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.75),
    border: `3px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    cursor: 'pointer',
    minWidth: 0,
    '&:hover': { boxShadow: theme.shadows.z2 },
  }),
  unclassified: css({ borderStyle: 'dashed', borderColor: theme.colors.text.disabled, opacity: 0.85 }),
  selected: css({ outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 }),
  hidden: css({ opacity: 0.4 }),
  thumbnail: css({
    aspectRatio: '4 / 3',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    background: theme.colors.background.canvas,
    overflow: 'hidden',
    img: { width: '100%', height: '100%', objectFit: 'contain' },
  }),
  hide: css({
    border: 'none',
    background: 'transparent',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.primary },
  }),
  placeholder: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  caption: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: theme.spacing(0.5) }),
  name: css({
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  verdictLine: css({ display: 'flex', gap: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  verdict: css({ fontWeight: theme.typography.fontWeightBold }),
  time: css({ marginLeft: 'auto', color: theme.colors.text.secondary }),
});
