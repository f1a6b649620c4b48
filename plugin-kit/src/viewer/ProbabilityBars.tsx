import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { viewerTestIds } from './testIds';

interface Props {
  classes: PlotClass[];
  /** Class name → probability; null when the image has no prediction. */
  probabilities: Record<string, number> | null;
}

/** One bar per class, in its colour, as long as the model's probability for it. */
export function ProbabilityBars({ classes, probabilities }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={viewerTestIds.probabilities} className={styles.bars}>
      {classes.map((c) => {
        const p = probabilities?.[c.name] ?? 0;
        return (
          <div key={c.name} className={styles.barRow}>
            <span className={styles.barLabel}>{c.name}</span>
            <div className={styles.barTrack}>
              <div className={styles.bar} style={{ width: `${p * 100}%`, background: c.colour }} />
            </div>
            <span>{(p * 100).toFixed(1)}%</span>
          </div>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bars: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  barRow: css({ display: 'grid', gridTemplateColumns: '80px 1fr 56px', alignItems: 'center', gap: theme.spacing(1) }),
  barLabel: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  barTrack: css({ height: 10, background: theme.colors.background.canvas, borderRadius: theme.shape.radius.default }),
  bar: css({ height: '100%', borderRadius: theme.shape.radius.default }),
});
