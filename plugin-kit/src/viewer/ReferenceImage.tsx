import React from 'react';
import { useStyles2 } from '@grafana/ui';
import { getFigureStyles } from './figureStyles';
import { viewerTestIds } from './testIds';

interface Props {
  /** The reference image, or undefined while there is none to show. */
  url?: string;
  /** What stands in its place: loading, none set yet (and how to set one), or why it cannot be shown. */
  message: string;
  alt: string;
}

/** A plot type's reference image, the known-good plot that others are compared with. */
export function ReferenceImage({ url, message, alt }: Props) {
  const styles = useStyles2(getFigureStyles);
  return (
    <figure className={styles.figure} data-testid={viewerTestIds.reference}>
      {url ? <img src={url} alt={alt} className={styles.image} /> : <div className={styles.message}>{message}</div>}
      <figcaption>Reference</figcaption>
    </figure>
  );
}
