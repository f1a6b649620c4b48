import React from 'react';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { ModelVersion, PlotClass } from '@hydra/inference-server/api';
import { PrecisionRecallCurves } from './PrecisionRecallCurves';
import { ReliabilityDiagram } from './ReliabilityDiagram';
import { getEvaluationStyles } from './styles';
import { evaluationTestIds } from './testIds';
import { useSplitPredictions } from './useSplitPredictions';

/** The precision–recall curves and the reliability diagram, computed here from the test split's probabilities. */
export function TestSplitCharts({ version, plotClasses }: { version: ModelVersion; plotClasses?: PlotClass[] }) {
  const styles = useStyles2(getEvaluationStyles);
  const { data, error } = useSplitPredictions(version.plotTypeId, version.id, 'test');
  if (error) {
    return <Alert title="Cannot load the test split's predictions">{error}</Alert>;
  }
  if (!data) {
    return <LoadingPlaceholder text="Loading the test split's predictions…" />;
  }
  if (data.items.length === 0) {
    return <NoSplitPredictions split="test" />;
  }
  return (
    <div className={styles.row}>
      <PrecisionRecallCurves split={data} plotClasses={plotClasses} />
      <ReliabilityDiagram split={data} />
    </div>
  );
}

/** Why a version has no per-image predictions of a split, and what to do. */
export function NoSplitPredictions({ split }: { split: 'validation' | 'test' }) {
  return (
    <Alert severity="info" title={`No ${split} predictions for this version`} data-testid={evaluationTestIds.noSplit}>
      This version keeps no per-image probabilities of its {split} split: it was imported, or trained before they were
      stored. Train a new version on this plot type&apos;s labels to see{' '}
      {split === 'test'
        ? 'precision–recall curves and a reliability diagram'
        : 'thresholds take effect as you move them'}
      .
    </Alert>
  );
}
