import React, { useCallback, useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { ModelVersion } from '@hydra/inference-server/api';
import type { ConfusionCell } from '@hydra/plugin-kit/client';
import { useApp } from '../../../components/App/AppContext';
import { useCatalog } from '../../../hooks/useCatalog';
import { CellImages } from './CellImages';
import { ClassMetricsTable } from './ClassMetricsTable';
import { ConfusionMatrix } from './ConfusionMatrix';
import { percent, versionName } from './format';
import { getEvaluationStyles } from './styles';
import { TestSplitCharts } from './TestSplitCharts';
import { evaluationTestIds as ids } from './testIds';
import { ThresholdEditor } from './ThresholdEditor';
import { TrainingCurves } from './TrainingCurves';
import { useRequest } from './useRequest';

export interface VersionEvaluationProps {
  plotTypeId: number;
  versionId: number;
  /** Whether the app's token may save thresholds (the expert role). */
  canEdit: boolean;
}

/** The evaluation of one version: curves, confusion matrix, per-class metrics, PR curves, reliability, thresholds. */
export function VersionEvaluation({ plotTypeId, versionId, canEdit }: VersionEvaluationProps) {
  const styles = useStyles2(getEvaluationStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const plotType = catalog.plotTypes?.find((p) => p.id === plotTypeId);
  const versions = useRequest(useCallback(() => client.models(plotTypeId), [client, plotTypeId]));
  // The version as last saved here, so that saved thresholds show without a reload.
  const [saved, setSaved] = useState<ModelVersion>();
  const version = saved?.id === versionId ? saved : versions.data?.items.find((v) => v.id === versionId);
  const [cell, setCell] = useState<ConfusionCell>();
  useEffect(() => setCell(undefined), [versionId]);
  useEffect(() => {
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setCell(undefined);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, []);

  if (versions.error) {
    return (
      <Alert title="Cannot load the version's evaluation" data-testid={ids.error}>
        {versions.error}
      </Alert>
    );
  }
  if (!versions.data) {
    return (
      <div data-testid={ids.loading}>
        <LoadingPlaceholder text="Loading the version's evaluation…" />
      </div>
    );
  }
  if (!version) {
    return (
      <Alert title="No such version" data-testid={ids.error}>
        Plot type {plotType?.name ?? plotTypeId} has no model version with id {versionId}; it may have been deleted.
        Pick another version.
      </Alert>
    );
  }
  const { metrics } = version;
  return (
    <div data-testid={ids.evaluation}>
      {metrics ? (
        <>
          <section className={styles.section} aria-label="Training">
            <h4>Training</h4>
            <span className={styles.secondary}>
              {versionName(version)} ({version.architecture}, input {version.inputShape.join('×')}) trained on{' '}
              {metrics.splitSizes.train} images for {metrics.epochsRun} epochs on {metrics.backend}; validation{' '}
              {metrics.splitSizes.validation}, test {metrics.splitSizes.test} images.
            </span>
            <TrainingCurves metrics={metrics} />
          </section>
          <section className={styles.section} aria-label="Test split">
            <h4>Test split</h4>
            <span className={styles.secondary}>
              Accuracy {percent(metrics.evaluation.accuracy)} on {metrics.evaluation.images} images; always answering{' '}
              {metrics.trivialAnswer.answer} would score {percent(metrics.trivialAnswer.accuracy)}. Click a cell to see
              its images.
            </span>
            <div className={styles.row}>
              <ConfusionMatrix evaluation={metrics.evaluation} selected={cell} onSelect={setCell} />
              <ClassMetricsTable evaluation={metrics.evaluation} />
            </div>
            {cell && (
              <CellImages
                plotTypeId={plotTypeId}
                versionId={versionId}
                plotType={plotType?.name}
                cell={cell}
                onClose={() => setCell(undefined)}
              />
            )}
            <TestSplitCharts version={version} plotClasses={plotType?.classes} />
          </section>
        </>
      ) : (
        <Alert severity="info" title={`${versionName(version)} was imported`} data-testid={ids.imported}>
          An imported version has no training curves, confusion matrix or split predictions: nothing here measured it.
          Train a version on this plot type&apos;s labels to compare it; its thresholds can still be set below.
        </Alert>
      )}
      <section className={styles.section} aria-label="Thresholds">
        <h4>Thresholds</h4>
        <ThresholdEditor key={version.id} version={version} canEdit={canEdit} onSaved={setSaved} />
      </section>
    </div>
  );
}
