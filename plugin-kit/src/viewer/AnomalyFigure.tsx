import React, { useEffect, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { AnomalyMap, Prediction } from '@hydra/inference-server/api';
import type { HydraClient } from '../client/client';
import { HydraApiError, unavailableMessage } from '../client/errors';
import { imageUrl as imageUrlOf } from '../client/urls';
import { getFigureStyles } from './figureStyles';
import { viewerTestIds } from './testIds';

interface Props {
  client: HydraClient;
  imageId: number | null;
  /** The image as the browser loads it; null when the plot has none yet. */
  imageUrl: string | null;
  alt: string;
  /** Of the error map over the image, as the Grad-CAM overlay's. */
  opacity: number;
  /** The image's latest verdict, whose distance from the plot type's reference is shown; undefined: none yet. */
  prediction?: Pick<Prediction, 'referenceDistance' | 'referenceAnomalous' | 'referenceModelVersionId'>;
}

type MapState = { imageId: number; map: AnomalyMap } | { imageId: number; message: string };

/** The verdict's distance from the reference, by the Siamese encoder (judged by its threshold) or on pixels. */
function referenceCaption(prediction: Props['prediction']): string {
  const distance = prediction?.referenceDistance;
  if (distance === undefined) {
    return 'No distance from a reference: the plot type had none when this plot was judged.';
  }
  const by = prediction?.referenceModelVersionId === undefined ? 'pixels' : 'Siamese encoder';
  const judged =
    prediction?.referenceAnomalous === undefined ? '' : prediction.referenceAnomalous ? ': far from it' : ': as usual';
  return `Distance from the reference ${distance.toFixed(3)} (${by})${judged}`;
}

/**
 * The image with the autoencoder's error map over it (the server's overlay PNG), its anomaly score against the
 * calibrated threshold, and its distance from the plot type's reference: beside Grad-CAM, never in place of the
 * verdict. A plot type without an autoencoder says how to train one.
 */
export function AnomalyFigure({ client, imageId, imageUrl, alt, opacity, prediction }: Props) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<MapState>();
  useEffect(() => {
    if (imageId === null) {
      return;
    }
    let live = true;
    client.anomalyMap(imageId).then(
      (map) => live && setState({ imageId, map }),
      (error) => {
        // 409: the plot type has no autoencoder, and the server says how to train one.
        const problem = HydraApiError.from(error, '');
        const message = problem.status === 409 ? problem.detail : unavailableMessage(error, 'The anomaly map');
        if (live) {
          setState({ imageId, message });
        }
      }
    );
    return () => {
      live = false;
    };
  }, [client, imageId]);

  const current = imageId !== null && state?.imageId === imageId ? state : undefined;
  const map = current && 'map' in current ? current.map : undefined;
  const overlayUrl = map && imageId !== null ? imageUrlOf(client.apiUrl, imageId, 'anomaly', { format: 'png' }) : '';
  let caption: string;
  if (imageId === null) {
    caption = 'No image yet: no anomaly score.';
  } else if (!current) {
    caption = 'Loading the anomaly score…';
  } else if (map) {
    caption =
      `Anomaly score ${map.score.toFixed(2)}, threshold ${map.threshold.toFixed(2)}: ` +
      (map.anomalous ? 'anomalous' : 'as usual');
  } else {
    caption = 'message' in current ? current.message : '';
  }

  return (
    <figure className={styles.figure}>
      <div className={styles.stack}>
        {imageUrl ? (
          <img src={imageUrl} alt={alt} className={styles.image} />
        ) : (
          <div className={styles.message}>No image yet.</div>
        )}
        {overlayUrl && (
          <img
            data-testid={viewerTestIds.anomalyMap}
            src={overlayUrl}
            alt={`Reconstruction error of ${alt}`}
            className={styles.overlay}
            style={{ opacity }}
          />
        )}
      </div>
      <figcaption>
        <span data-testid={viewerTestIds.anomalyScore} className={map?.anomalous ? styles.anomalous : undefined}>
          {caption}
        </span>{' '}
        <span
          data-testid={viewerTestIds.referenceDistance}
          className={prediction?.referenceAnomalous ? styles.anomalous : undefined}
        >
          {referenceCaption(prediction)}
        </span>
      </figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getFigureStyles(theme),
  stack: css({ position: 'relative' }),
  overlay: css({ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }),
  anomalous: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
});
