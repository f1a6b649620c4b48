import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Prediction } from '@hydra/inference-server/api';
import { imageUrl } from '@hydra/plugin-kit/client';
import { severityColours, type Severity } from '../../components/Severity/severityColours';
import { labelerLink } from '../../constants';

const WIDTH = 280;

interface Props {
  apiUrl: string;
  imageId: number;
  plotType: string;
  /** What the figure shows, e.g. "Run 1001" or "Reference". */
  caption: string;
  prediction?: Prediction | null;
  severity?: Severity | null;
  capturedAt?: string;
  'data-testid'?: string;
}

/**
 * A plot as the Labeler and the panel show it: the server's thumbnail (2x for sharp screens), opening the full image,
 * with its verdict in its severity's colour and a link to the Labeler's viewer (Grad-CAM, history).
 */
export function PlotFigure({ apiUrl, imageId, plotType, caption, prediction, severity, capturedAt, ...props }: Props) {
  const styles = useStyles2(getStyles);
  const colours = severityColours(useTheme2(), severity ?? null);
  return (
    <figure
      className={styles.figure}
      style={{ borderColor: colours.border }}
      data-testid={props['data-testid']}
      data-image-id={imageId}
    >
      <a href={imageUrl(apiUrl, imageId, 'file')} target="_blank" rel="noreferrer" title="Open the full image">
        <img
          className={styles.image}
          src={imageUrl(apiUrl, imageId, 'thumbnail', { width: WIDTH })}
          srcSet={`${imageUrl(apiUrl, imageId, 'thumbnail', { width: 2 * WIDTH })} 2x`}
          alt={`${plotType}, ${caption}`}
          loading="lazy"
          decoding="async"
        />
      </a>
      <figcaption className={styles.caption}>
        <span>{caption}</span>
        {prediction !== undefined && (
          <span className={styles.verdict} style={{ background: colours.fill, color: colours.text }}>
            {prediction ? `${prediction.verdict} ${Math.round(prediction.confidence * 100)}%` : 'no verdict'}
          </span>
        )}
        <a className={styles.link} href={labelerLink(imageId, plotType)} title="Open in the Labeler's viewer">
          viewer
        </a>
      </figcaption>
      {capturedAt && <div className={styles.time}>{dateTimeFormat(capturedAt)}</div>}
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({
    margin: 0,
    width: WIDTH + 8,
    padding: theme.spacing(0.5),
    border: '2px solid',
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  image: css({
    display: 'block',
    width: WIDTH,
    height: 'auto',
    minHeight: 60,
    background: theme.colors.background.canvas,
  }),
  caption: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), marginTop: theme.spacing(0.5) }),
  verdict: css({ padding: theme.spacing(0, 0.5), borderRadius: theme.shape.radius.default }),
  link: css({ marginLeft: 'auto', color: theme.colors.text.link }),
  time: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
