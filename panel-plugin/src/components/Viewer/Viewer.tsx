import React, { useCallback, useEffect, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LinkButton, Modal, Select, Slider, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { GradCamMap, Prediction } from '@hydra/inference-server/api';
import type { HydraClient } from '@hydra/datasource-plugin/client';
import { describeError, HydraApiError } from '@hydra/datasource-plugin/errors';
import { testIds } from '../../testIds';
import type { PlotRow } from '../../types';

interface Props {
  row: PlotRow;
  client: HydraClient;
  deployment: string;
  historyLength: number;
  labelerUrl: string;
  onClose: () => void;
}

type Status = { kind: 'success' | 'error'; text: string } | undefined;

/** Errors of optional features (Grad-CAM, reference) become a message; a missing route is said plainly. */
function unavailable(error: unknown, what: string): string {
  const e = HydraApiError.from(error, '');
  if (e.kind === 'not_found') {
    return /\broute\b/i.test(e.detail)
      ? `${what} is not available: the inference server has no such route yet.`
      : e.detail;
  }
  return describeError(e);
}

/** The full image with its Grad-CAM overlay, class probabilities, reference, recent verdicts and actions. */
export function Viewer({ row, client, deployment, historyLength, labelerUrl, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const [opacity, setOpacity] = useState(0.5);
  const [camClass, setCamClass] = useState(row.verdict ?? '');
  // The server's overlay PNG (the image with the map drawn over it) is stacked on the image and faded in by the
  // slider. Only when it fails is the JSON asked for, to say why.
  const camUrl =
    row.imageId && row.predictionId
      ? client.url(`/images/${row.imageId}/gradcam`, { class: camClass || undefined, format: 'png' })
      : undefined;
  const [camLoaded, setCamLoaded] = useState<string>();
  const [camFailure, setCamFailure] = useState<{ url: string; message: string }>();
  const [reference, setReference] = useState<{ url?: string; message?: string }>({ message: 'Loading…' });
  const [history, setHistory] = useState<Prediction[]>([]);
  const [status, setStatus] = useState<Status>();
  const classes = row.classes;

  let camMessage: string | undefined;
  if (!camUrl) {
    camMessage =
      row.state === 'no_model' ? 'No model for this plot type: no Grad-CAM.' : 'No verdict yet: no Grad-CAM.';
  } else if (camFailure?.url === camUrl) {
    camMessage = camFailure.message;
  } else if (camLoaded !== camUrl) {
    camMessage = 'Loading Grad-CAM…';
  }

  const onCamError = useCallback(() => {
    if (!camUrl) {
      return;
    }
    const fail = (message: string) => setCamFailure({ url: camUrl, message });
    client.get<GradCamMap>(`/images/${row.imageId}/gradcam`, { class: camClass || undefined, format: 'json' }).then(
      () => fail('The Grad-CAM overlay could not be loaded.'),
      (error) => fail(unavailable(error, 'Grad-CAM'))
    );
  }, [client, camUrl, row.imageId, camClass]);

  useEffect(() => {
    let cancelled = false;
    client
      .reference(row.plotTypeId)
      .then((ref) => !cancelled && setReference({ url: `${client.apiUrl}/images/${ref.imageId}/file` }))
      .catch((error) => !cancelled && setReference({ message: unavailable(error, 'The reference') }));
    client
      .predictions({ deployment, plotType: row.plotType, limit: historyLength })
      .then(({ items }) => !cancelled && setHistory(items))
      .catch(() => !cancelled && setHistory([]));
    return () => {
      cancelled = true;
    };
  }, [client, deployment, row.plotTypeId, row.plotType, row.imageId, historyLength]);

  const override = useCallback(
    async (className: string) => {
      if (!row.imageId) {
        return;
      }
      try {
        await client.label([row.imageId], className, 'override');
        setStatus({ kind: 'success', text: `Labelled ${className} (override). The label is stored for training.` });
      } catch (error) {
        setStatus({ kind: 'error', text: `Override not saved. ${describeError(error)}` });
      }
    },
    [client, row.imageId]
  );

  const makeReference = async () => {
    if (!row.imageId) {
      return;
    }
    try {
      const ref = await client.setReference(row.plotTypeId, row.imageId);
      setReference({ url: `${client.apiUrl}/images/${ref.imageId}/file` });
      setStatus({ kind: 'success', text: 'This image is now the reference of its plot type.' });
    } catch (error) {
      setStatus({ kind: 'error', text: `Reference not set. ${describeError(error)}` });
    }
  };

  // Digits pick a class: 1 is the first class of the palette.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const index = Number(event.key) - 1;
      if (
        Number.isInteger(index) &&
        index >= 0 &&
        index < classes.length &&
        !(event.target instanceof HTMLInputElement)
      ) {
        void override(classes[index]!.name);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [classes, override]);

  const labelerHref = labelerUrl
    .replace('{imageId}', String(row.imageId ?? ''))
    .replace('{plotType}', encodeURIComponent(row.plotType));

  return (
    <Modal title={`${row.title} — run ${row.run ?? '–'}`} isOpen onDismiss={onClose} className={styles.modal}>
      <div data-testid={testIds.viewer.root} className={styles.layout}>
        <div className={styles.images}>
          <figure className={styles.figure}>
            <div className={styles.stack}>
              {row.imageUrl ? (
                <img data-testid={testIds.viewer.image} src={row.imageUrl} alt={row.title} className={styles.image} />
              ) : (
                <div className={styles.message}>No image yet.</div>
              )}
              {camUrl && camFailure?.url !== camUrl && (
                <img
                  data-testid={testIds.viewer.gradcam}
                  src={camUrl}
                  alt={`Grad-CAM of ${camClass || 'the verdict'}`}
                  className={styles.overlay}
                  style={{ opacity: camMessage ? 0 : opacity }}
                  onLoad={() => setCamLoaded(camUrl)}
                  onError={onCamError}
                />
              )}
            </div>
            <figcaption>
              {row.time !== null ? dateTimeFormat(row.time) : ''}{' '}
              {camMessage && <span data-testid={testIds.viewer.gradcamMessage}>{camMessage}</span>}
            </figcaption>
          </figure>
          <figure className={styles.figure} data-testid={testIds.viewer.reference}>
            {reference.url ? (
              <img src={reference.url} alt={`${row.title} reference`} className={styles.image} />
            ) : (
              <div className={styles.message}>{reference.message}</div>
            )}
            <figcaption>Reference</figcaption>
          </figure>
        </div>

        <div className={styles.side}>
          <div className={styles.controls}>
            <span>Grad-CAM</span>
            <div className={styles.slider} data-testid={testIds.viewer.opacity}>
              <Slider min={0} max={1} step={0.05} value={opacity} onChange={setOpacity} />
            </div>
            <div data-testid={testIds.viewer.gradcamClass}>
              <Select
                aria-label="Grad-CAM class"
                width={16}
                options={classes.map((c) => ({ label: c.name, value: c.name }))}
                value={camClass}
                onChange={(option) => setCamClass(option.value ?? '')}
              />
            </div>
          </div>

          <div data-testid={testIds.viewer.probabilities} className={styles.bars}>
            {classes.map((c) => {
              const p = row.probabilities?.[c.name] ?? 0;
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

          <div className={styles.palette}>
            <span>Override (role labeler)</span>
            {classes.map((c, i) => (
              <Button
                key={c.name}
                size="sm"
                variant="secondary"
                data-testid={testIds.viewer.override(c.name)}
                disabled={!row.imageId}
                style={{ borderLeft: `4px solid ${c.colour}` }}
                onClick={() => void override(c.name)}
              >
                {i + 1} {c.name}
              </Button>
            ))}
          </div>
          <div className={styles.palette}>
            <Button
              size="sm"
              variant="secondary"
              icon="star"
              data-testid={testIds.viewer.setReference}
              disabled={!row.imageId}
              onClick={makeReference}
            >
              Set as reference
            </Button>
            <LinkButton
              size="sm"
              variant="secondary"
              icon="tag-alt"
              href={labelerHref}
              data-testid={testIds.viewer.labeler}
            >
              Open in the labeler
            </LinkButton>
          </div>
          {status && (
            <Alert
              data-testid={testIds.viewer.status}
              severity={status.kind}
              title={status.text}
              onRemove={() => setStatus(undefined)}
            />
          )}

          <div data-testid={testIds.viewer.history} className={styles.history}>
            {history.map((p) => (
              <div
                key={p.id}
                className={styles.historyItem}
                style={{ borderColor: classes.find((c) => c.name === p.verdict)?.colour }}
                title={`${p.verdict} ${(p.confidence * 100).toFixed(0)}% — ${dateTimeFormat(Date.parse(p.capturedAt))}`}
              >
                <img src={`${client.apiUrl}/images/${p.imageId}/thumbnail?width=64`} alt={p.verdict} loading="lazy" />
              </div>
            ))}
          </div>
        </div>
      </div>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  modal: css({ width: 'min(1400px, 95vw)' }),
  layout: css({ display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' }),
  images: css({ display: 'flex', gap: theme.spacing(1), flex: '3 1 600px', minWidth: 0 }),
  figure: css({
    flex: 1,
    margin: 0,
    minWidth: 0,
    figcaption: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
  }),
  stack: css({ position: 'relative' }),
  image: css({ width: '100%', display: 'block', background: theme.colors.background.canvas }),
  overlay: css({
    position: 'absolute',
    inset: 0,
    width: '100%',
    height: '100%',
    pointerEvents: 'none',
  }),
  message: css({
    padding: theme.spacing(4),
    color: theme.colors.text.secondary,
    background: theme.colors.background.canvas,
  }),
  side: css({ flex: '1 1 300px', display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  controls: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  // Grafana's slider keeps a 60 px number box beside its rail: the rail gets the rest, never less than ~160 px.
  slider: css({ flex: '1 1 220px', minWidth: 220 }),
  bars: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  barRow: css({ display: 'grid', gridTemplateColumns: '80px 1fr 56px', alignItems: 'center', gap: theme.spacing(1) }),
  barLabel: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  barTrack: css({ height: 10, background: theme.colors.background.canvas, borderRadius: theme.shape.radius.default }),
  bar: css({ height: '100%', borderRadius: theme.shape.radius.default }),
  palette: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5) }),
  history: css({ display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' }),
  historyItem: css({
    border: '3px solid',
    borderRadius: theme.shape.radius.default,
    img: { width: 48, display: 'block' },
  }),
});
