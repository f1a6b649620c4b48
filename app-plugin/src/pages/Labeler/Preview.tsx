import React, { useEffect, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import { describeError, imageUrl, type HistoryLabel, type HydraAppClient } from '@hydra/plugin-kit/client';
import { GradCamControls, GradCamOverlay } from '@hydra/plugin-kit/viewer';
import { testIds } from '../../testIds';

interface Props {
  client: HydraAppClient;
  imageId: number;
  /** What the caption says, e.g. "CDC_occupancy, run 1000: Good 93%". */
  title: string;
  /** No verdict to explain: says why there is no Grad-CAM map. */
  noMapReason?: string;
  classes: PlotClass[];
  /** Changes when labels changed on the server (Apply, undo, redo): the history is asked for again. */
  version: number;
  onClose: () => void;
}

/** The image large with the server's Grad-CAM overlay, and its label history (who, when, source, superseded). */
export function Preview({ client, imageId, title, noMapReason, classes, version, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const [opacity, setOpacity] = useState(0.5);
  const [mapClass, setMapClass] = useState('');
  const [history, setHistory] = useState<{ imageId: number; items?: HistoryLabel[]; error?: string }>();

  useEffect(() => {
    let stale = false;
    client.history(imageId).then(
      ({ items }) => !stale && setHistory({ imageId, items }),
      (error) => !stale && setHistory({ imageId, error: describeError(error) })
    );
    return () => {
      stale = true;
    };
  }, [client, imageId, version]);
  const current = history?.imageId === imageId ? history : undefined;

  return (
    <aside className={styles.preview} data-testid={testIds.labeler.preview} data-image-id={imageId}>
      <div className={styles.header}>
        <strong>{title}</strong>
        <IconButton name="times" tooltip="Close the preview (Esc or space)" onClick={onClose} />
      </div>
      <GradCamOverlay
        client={client}
        imageId={imageId}
        imageUrl={imageUrl(client.apiUrl, imageId, 'file')}
        alt={title}
        noMapReason={noMapReason}
        mapClass={mapClass}
        opacity={opacity}
      />
      {!noMapReason && (
        <GradCamControls
          classes={classes}
          opacity={opacity}
          onOpacityChange={setOpacity}
          mapClass={mapClass}
          onMapClassChange={setMapClass}
        />
      )}
      <div data-testid={testIds.labeler.history}>
        <h6 className={styles.heading}>Label history</h6>
        {!current && <span>Loading the label history…</span>}
        {current?.error && <span>{current.error}</span>}
        {current?.items?.length === 0 && <span>Never labelled.</span>}
        {current?.items && current.items.length > 0 && (
          <ol className={styles.history}>
            {current.items.map((label) => (
              <li key={label.id} className={label.supersededAt ? styles.superseded : undefined}>
                <strong>{label.class}</strong> by {label.user} ({label.source}), {dateTimeFormat(label.createdAt)}
                {label.supersededAt && `; superseded ${dateTimeFormat(label.supersededAt)}`}
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  preview: css({
    width: 460,
    flexShrink: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    alignSelf: 'flex-start',
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }),
  heading: css({ margin: theme.spacing(1, 0, 0.5) }),
  history: css({ margin: 0, paddingLeft: theme.spacing(2), fontSize: theme.typography.bodySmall.fontSize }),
  superseded: css({ color: theme.colors.text.secondary }),
});
