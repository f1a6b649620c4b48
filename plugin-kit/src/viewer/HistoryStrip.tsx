import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass, Prediction } from '@hydra/inference-server/api';
import { imageUrl } from '../client/urls';
import { viewerTestIds } from './testIds';

const THUMBNAIL_WIDTH = 64;

interface Props {
  apiUrl: string;
  /** Newest first, as GET /predictions gives them. */
  history: Prediction[];
  classes: PlotClass[];
}

/** Recent verdicts of a plot type: a small thumbnail each, framed in its verdict's colour. */
export function HistoryStrip({ apiUrl, history, classes }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={viewerTestIds.history} className={styles.history}>
      {history.map((p) => (
        <div
          key={p.id}
          className={styles.historyItem}
          style={{ borderColor: classes.find((c) => c.name === p.verdict)?.colour }}
          title={`${p.verdict} ${(p.confidence * 100).toFixed(0)}% — ${dateTimeFormat(Date.parse(p.capturedAt))}`}
        >
          <img
            src={imageUrl(apiUrl, p.imageId, 'thumbnail', { width: THUMBNAIL_WIDTH })}
            alt={p.verdict}
            loading="lazy"
          />
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  history: css({ display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' }),
  historyItem: css({
    border: '3px solid',
    borderRadius: theme.shape.radius.default,
    img: { width: 48, display: 'block' },
  }),
});
