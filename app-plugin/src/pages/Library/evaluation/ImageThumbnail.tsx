import React, { type ReactNode } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { imageUrl } from '@hydra/plugin-kit/client';
import { useApp } from '../../../components/App/AppContext';
import { labelerLink } from '../../../constants';

const THUMBNAIL_WIDTH = 120;

/** An image's thumbnail that opens it in the Labeler's viewer (once the plot type's name is known), with a caption. */
export function ImageThumbnail({
  imageId,
  plotType,
  caption,
  testId,
}: {
  imageId: number;
  plotType?: string;
  caption: ReactNode;
  testId: string;
}) {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const content = (
    <>
      <img
        src={imageUrl(client.apiUrl, imageId, 'thumbnail', { width: THUMBNAIL_WIDTH })}
        srcSet={`${imageUrl(client.apiUrl, imageId, 'thumbnail', { width: 2 * THUMBNAIL_WIDTH })} 2x`}
        alt={`image ${imageId}`}
        decoding="async"
        className={styles.image}
      />
      <span className={styles.caption}>{caption}</span>
    </>
  );
  return plotType ? (
    <a
      className={styles.cell}
      href={labelerLink(imageId, plotType)}
      title={`Open image ${imageId} in the Labeler`}
      data-testid={testId}
      data-image-id={imageId}
    >
      {content}
    </a>
  ) : (
    <div className={styles.cell} data-testid={testId} data-image-id={imageId}>
      {content}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cell: css({
    display: 'flex',
    flexDirection: 'column',
    width: THUMBNAIL_WIDTH + 8,
    padding: 2,
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    '&:hover': { borderColor: theme.colors.primary.border },
  }),
  image: css({ width: THUMBNAIL_WIDTH, height: 90, objectFit: 'contain', background: theme.colors.background.canvas }),
  caption: css({ fontSize: theme.typography.bodySmall.fontSize, padding: theme.spacing(0, 0.5) }),
});
