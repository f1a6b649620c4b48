import React, { useState } from 'react';
import { Button, useStyles2 } from '@grafana/ui';
import type { Comparison } from '@hydra/plugin-kit/client';
import { percent, versionName } from './format';
import { ImageThumbnail } from './ImageThumbnail';
import { getEvaluationStyles } from './styles';
import { evaluationTestIds as ids } from './testIds';

const SHOWN = 60;

/** The shared test images on which the two versions answer differently, each with its true class and both answers. */
export function Disagreements({ comparison, plotType }: { comparison: Comparison; plotType?: string }) {
  const styles = useStyles2(getEvaluationStyles);
  const [all, setAll] = useState(false);
  const { a, b, disagreements, sharedTestImages } = comparison;
  if (disagreements.length === 0) {
    return (
      <p className={styles.secondary} data-testid={ids.disagreements}>
        {versionName(a)} and {versionName(b)} give the same answer on all {sharedTestImages} shared test images.
      </p>
    );
  }
  const shown = all ? disagreements : disagreements.slice(0, SHOWN);
  return (
    <div className={styles.section}>
      <span>
        They disagree on {disagreements.length} of {sharedTestImages} shared test images
        {shown.length < disagreements.length && ` (the first ${shown.length} shown)`}:
      </span>
      <div className={styles.row} data-testid={ids.disagreements}>
        {shown.map((item) => (
          <ImageThumbnail
            key={item.imageId}
            imageId={item.imageId}
            plotType={plotType}
            testId={ids.disagreement(item.imageId)}
            caption={
              <>
                true {item.trueClass}
                <br />v{a.version}: {item.a.class} {percent(item.a.confidence)}
                <br />v{b.version}: {item.b.class} {percent(item.b.confidence)}
              </>
            }
          />
        ))}
      </div>
      {shown.length < disagreements.length && (
        <Button variant="secondary" size="sm" onClick={() => setAll(true)}>
          Show all {disagreements.length}
        </Button>
      )}
    </div>
  );
}
