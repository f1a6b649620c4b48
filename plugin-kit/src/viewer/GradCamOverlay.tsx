import React, { useCallback, useState, type ReactNode } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Select, Slider, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PlotClass } from '@hydra/inference-server/api';
import type { HydraClient } from '../client/client';
import { unavailableMessage } from '../client/errors';
import { imageUrl as imageUrlOf } from '../client/urls';
import { getFigureStyles } from './figureStyles';
import { viewerTestIds } from './testIds';

interface OverlayProps {
  client: HydraClient;
  imageId: number | null;
  /** The image as the browser loads it; null when the plot has none yet. */
  imageUrl: string | null;
  alt: string;
  /** Set when the image has no verdict to explain (no model, or not classified yet): says why there is no map. */
  noMapReason?: string;
  /** The class whose map to draw; empty for the verdict's. */
  mapClass: string;
  opacity: number;
  caption?: ReactNode;
}

/**
 * The image with the server's Grad-CAM overlay PNG (the image with the map drawn over it) stacked on it and faded in
 * by `opacity`. Only when the overlay fails is the JSON map asked for, to say why.
 */
export function GradCamOverlay({
  client,
  imageId,
  imageUrl,
  alt,
  noMapReason,
  mapClass,
  opacity,
  caption,
}: OverlayProps) {
  const styles = useStyles2(getStyles);
  const camUrl =
    imageId !== null && !noMapReason
      ? imageUrlOf(client.apiUrl, imageId, 'gradcam', { class: mapClass || undefined, format: 'png' })
      : undefined;
  const [camLoaded, setCamLoaded] = useState<string>();
  const [camFailure, setCamFailure] = useState<{ url: string; message: string }>();

  let camMessage: string | undefined;
  if (!camUrl) {
    camMessage = noMapReason;
  } else if (camFailure?.url === camUrl) {
    camMessage = camFailure.message;
  } else if (camLoaded !== camUrl) {
    camMessage = 'Loading Grad-CAM…';
  }

  const onCamError = useCallback(() => {
    if (!camUrl || imageId === null) {
      return;
    }
    const fail = (message: string) => setCamFailure({ url: camUrl, message });
    client.gradcamMap(imageId, mapClass || undefined).then(
      () => fail('The Grad-CAM overlay could not be loaded.'),
      (error) => fail(unavailableMessage(error, 'Grad-CAM'))
    );
  }, [client, camUrl, imageId, mapClass]);

  return (
    <figure className={styles.figure}>
      <div className={styles.stack}>
        {imageUrl ? (
          <img data-testid={viewerTestIds.image} src={imageUrl} alt={alt} className={styles.image} />
        ) : (
          <div className={styles.message}>No image yet.</div>
        )}
        {camUrl && camFailure?.url !== camUrl && (
          <img
            data-testid={viewerTestIds.gradcam}
            src={camUrl}
            alt={`Grad-CAM of ${mapClass || 'the verdict'}`}
            className={styles.overlay}
            style={{ opacity: camMessage ? 0 : opacity }}
            onLoad={() => setCamLoaded(camUrl)}
            onError={onCamError}
          />
        )}
      </div>
      <figcaption>
        {caption} {camMessage && <span data-testid={viewerTestIds.gradcamMessage}>{camMessage}</span>}
      </figcaption>
    </figure>
  );
}

interface ControlsProps {
  classes: PlotClass[];
  opacity: number;
  onOpacityChange: (opacity: number) => void;
  mapClass: string;
  onMapClassChange: (mapClass: string) => void;
}

/** The overlay's opacity slider and the class whose map it shows. */
export function GradCamControls({ classes, opacity, onOpacityChange, mapClass, onMapClassChange }: ControlsProps) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.controls}>
      <span>Grad-CAM</span>
      <div className={styles.slider} data-testid={viewerTestIds.opacity}>
        <Slider min={0} max={1} step={0.05} value={opacity} onChange={onOpacityChange} />
      </div>
      <div data-testid={viewerTestIds.gradcamClass}>
        <Select
          aria-label="Grad-CAM class"
          width={16}
          options={classes.map((c) => ({ label: c.name, value: c.name }))}
          value={mapClass}
          onChange={(option) => onMapClassChange(option.value ?? '')}
        />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getFigureStyles(theme),
  stack: css({ position: 'relative' }),
  overlay: css({ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }),
  controls: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  // Grafana's slider keeps a 60 px number box beside its rail: the rail gets the rest, never less than ~160 px.
  slider: css({ flex: '1 1 220px', minWidth: 220 }),
});
