import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, IconButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { ConfusionCell } from '@hydra/plugin-kit/client';
import { percent } from './format';
import { ImageThumbnail } from './ImageThumbnail';
import { evaluationTestIds } from './testIds';
import { useSplitPredictions } from './useSplitPredictions';

interface CellImagesProps {
  plotTypeId: number;
  versionId: number;
  plotType?: string;
  cell: ConfusionCell;
  onClose: () => void;
}

/** The test images of one confusion-matrix cell, least confident first, each opening in the Labeler. */
export function CellImages({ plotTypeId, versionId, plotType, cell, onClose }: CellImagesProps) {
  const styles = useStyles2(getStyles);
  const { data, error } = useSplitPredictions(plotTypeId, versionId, 'test', cell);
  const title = `Test images of class ${cell.trueClass} predicted ${cell.predictedClass}`;
  let body: React.ReactNode;
  if (error) {
    body = <Alert title="Cannot list the images of this cell">{error}</Alert>;
  } else if (!data) {
    body = <LoadingPlaceholder text="Loading the images of this cell…" />;
  } else if (data.items.length === 0) {
    body = <p className={styles.secondary}>No test image falls in this cell.</p>;
  } else {
    body = (
      <div className={styles.grid}>
        {[...data.items]
          .sort((a, b) => a.confidence - b.confidence)
          .map((item) => (
            <ImageThumbnail
              key={item.imageId}
              imageId={item.imageId}
              plotType={plotType}
              testId={evaluationTestIds.image(item.imageId)}
              caption={`${item.predictedClass} ${percent(item.confidence)}`}
            />
          ))}
      </div>
    );
  }
  return (
    <section className={styles.section} data-testid={evaluationTestIds.cellImages} aria-label={title}>
      <div className={styles.header}>
        <strong>
          {title}
          {data && ` (${data.items.length})`}
        </strong>
        <IconButton name="times" tooltip="Close (Esc)" onClick={onClose} />
      </div>
      {body}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', marginBottom: theme.spacing(1) }),
  grid: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) }),
  secondary: css({ color: theme.colors.text.secondary }),
});
