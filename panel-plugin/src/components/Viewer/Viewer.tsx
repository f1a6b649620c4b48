import React, { useCallback, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LinkButton, Modal, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { HydraClient } from '@hydra/plugin-kit/client';
import {
  AnomalyFigure,
  GradCamControls,
  GradCamOverlay,
  HistoryStrip,
  OverridePalette,
  ProbabilityBars,
  ReferenceImage,
  useImageDetails,
  type ReferenceState,
} from '@hydra/plugin-kit/viewer';
import { testIds } from '../../testIds';
import type { PlotRow } from '../../types';

/** The action that makes the shown image its plot type's reference; the empty reference names it. */
const SET_REFERENCE = 'Set as reference';

interface Props {
  row: PlotRow;
  client: HydraClient;
  deployment: string;
  historyLength: number;
  labelerUrl: string;
  onClose: () => void;
}

/**
 * The full image with its Grad-CAM overlay, the autoencoder's error map and anomaly score, class probabilities,
 * reference, recent verdicts and actions.
 */
export function Viewer({ row, client, deployment, historyLength, labelerUrl, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const [opacity, setOpacity] = useState(0.5);
  const [camClass, setCamClass] = useState(row.verdict ?? '');
  const { reference, history, status, clearStatus, label, makeReference } = useImageDetails(client, {
    deployment,
    plotTypeId: row.plotTypeId,
    plotType: row.plotType,
    imageId: row.imageId,
    historyLength,
  });
  const override = useCallback((className: string) => void label(className, 'override'), [label]);
  const noMapReason = row.predictionId
    ? undefined
    : row.state === 'no_model'
      ? 'No model for this plot type: no Grad-CAM.'
      : 'No verdict yet: no Grad-CAM.';
  const labelerHref = labelerUrl
    .replace('{imageId}', String(row.imageId ?? ''))
    .replace('{plotType}', encodeURIComponent(row.plotType));

  return (
    <Modal title={`${row.title} — run ${row.run ?? '–'}`} isOpen onDismiss={onClose} className={styles.modal}>
      <div data-testid={testIds.viewer.root} className={styles.layout}>
        <div className={styles.images}>
          <GradCamOverlay
            client={client}
            imageId={row.imageId}
            imageUrl={row.imageUrl}
            alt={row.title}
            noMapReason={noMapReason}
            mapClass={camClass}
            opacity={opacity}
            caption={row.time !== null ? dateTimeFormat(row.time) : ''}
          />
          <AnomalyFigure
            client={client}
            imageId={row.imageId}
            imageUrl={row.imageUrl}
            alt={row.title}
            opacity={opacity}
            prediction={history.find((prediction) => prediction.imageId === row.imageId)}
          />
          <ReferenceImage
            url={reference.kind === 'image' ? reference.url : undefined}
            message={referenceMessage(reference, row.title)}
            alt={`${row.title} reference`}
          />
        </div>

        <div className={styles.side}>
          <GradCamControls
            classes={row.classes}
            opacity={opacity}
            onOpacityChange={setOpacity}
            mapClass={camClass}
            onMapClassChange={setCamClass}
          />
          <ProbabilityBars classes={row.classes} probabilities={row.probabilities} />
          <OverridePalette
            classes={row.classes}
            caption="Override (role labeler)"
            disabled={!row.imageId}
            onPick={override}
          />
          <div className={styles.actions}>
            <Button
              size="sm"
              variant="secondary"
              icon="star"
              data-testid={testIds.viewer.setReference}
              disabled={!row.imageId}
              onClick={makeReference}
            >
              {SET_REFERENCE}
            </Button>
            {labelerUrl && (
              <LinkButton
                size="sm"
                variant="secondary"
                icon="tag-alt"
                href={labelerHref}
                data-testid={testIds.viewer.labeler}
              >
                Open in the labeler
              </LinkButton>
            )}
          </div>
          {status && (
            <Alert
              data-testid={testIds.viewer.status}
              severity={status.kind}
              title={status.text}
              onRemove={clearStatus}
            />
          )}
          <HistoryStrip apiUrl={client.apiUrl} history={history} classes={row.classes} />
        </div>
      </div>
    </Modal>
  );
}

/** What the reference figure says while it shows no image; an empty one says how to set it, here. */
function referenceMessage(reference: ReferenceState, plotTitle: string): string {
  switch (reference.kind) {
    case 'loading':
      return 'Loading…';
    case 'none':
      return `${plotTitle} has no reference image yet: open a good ${plotTitle} image in this viewer and click "${SET_REFERENCE}" (role expert).`;
    case 'unavailable':
      return reference.message;
    case 'image':
      return '';
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  modal: css({ width: 'min(1400px, 95vw)' }),
  layout: css({ display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' }),
  images: css({ display: 'flex', gap: theme.spacing(1), flex: '3 1 600px', minWidth: 0 }),
  side: css({ flex: '1 1 300px', display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  actions: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5) }),
});
