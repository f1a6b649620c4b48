import React, { useCallback } from 'react';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { Evaluation } from '@hydra/inference-server/api';
import { useApp } from '../../../components/App/AppContext';
import { useCatalog } from '../../../hooks/useCatalog';
import { ClassMetricsTable } from './ClassMetricsTable';
import { ConfusionMatrix } from './ConfusionMatrix';
import { Disagreements } from './Disagreements';
import { metric, percent, versionName } from './format';
import { getEvaluationStyles } from './styles';
import { evaluationTestIds as ids } from './testIds';
import { useRequest } from './useRequest';

export interface VersionComparisonProps {
  plotTypeId: number;
  /** Version ids. */
  a: number;
  b: number;
}

/** Two versions of one plot type side by side, on their shared test images. */
export function VersionComparison({ plotTypeId, a, b }: VersionComparisonProps) {
  const styles = useStyles2(getEvaluationStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const plotType = catalog.plotTypes?.find((p) => p.id === plotTypeId);
  const { data, error } = useRequest(
    useCallback(() => client.compareVersions(plotTypeId, a, b), [client, plotTypeId, a, b])
  );
  if (error) {
    return (
      <Alert title="Cannot compare these versions" data-testid={ids.comparisonError}>
        {error}
      </Alert>
    );
  }
  if (!data) {
    return <LoadingPlaceholder text="Comparing the two versions…" />;
  }
  const names = { a: versionName(data.a), b: versionName(data.b) };
  if (!data.evaluations) {
    return (
      <Alert severity="info" title={`${names.a} and ${names.b} share no test images`} data-testid={ids.noShared}>
        They can only be compared on test images both were evaluated on, with the same true class. An imported version
        has no test split, and versions trained on different labels or with another seed split the images differently:
        train both on the same labels with the same seed to compare them.
      </Alert>
    );
  }
  const evaluations = data.evaluations;
  return (
    <div data-testid={ids.comparison}>
      <section className={styles.section} aria-label="Metrics">
        <h4>
          {names.a} and {names.b} on their {data.sharedTestImages} shared test images
        </h4>
        <SideBySideMetrics a={evaluations.a} b={evaluations.b} names={names} />
      </section>
      <section className={styles.row} aria-label="Confusion matrices">
        {(['a', 'b'] as const).map((side) => (
          <div key={side} className={styles.section}>
            <h5>{names[side]}</h5>
            <ConfusionMatrix evaluation={evaluations[side]} testId={ids.comparisonMatrix(side)} />
            <ClassMetricsTable evaluation={evaluations[side]} testId={`${ids.comparisonMatrix(side)}-metrics`} />
          </div>
        ))}
      </section>
      <section className={styles.section} aria-label="Disagreements">
        <h4>Where they disagree</h4>
        <Disagreements comparison={data} plotType={plotType?.name} />
      </section>
    </div>
  );
}

/** Accuracy, macro F1 and each class's F1 of both versions, and which is higher. */
function SideBySideMetrics({ a, b, names }: { a: Evaluation; b: Evaluation; names: { a: string; b: string } }) {
  const styles = useStyles2(getEvaluationStyles);
  const classes = [...new Set([...a.classes, ...b.classes])];
  const rows: Array<[string, number | undefined, number | undefined, (value: number) => string]> = [
    ['Accuracy', a.accuracy, b.accuracy, percent],
    ['Macro F1', a.macroF1, b.macroF1, metric],
    ...classes.map(
      (name) =>
        [`F1 of ${name}`, a.perClass[name]?.f1, b.perClass[name]?.f1, metric] as [
          string,
          number | undefined,
          number | undefined,
          (value: number) => string,
        ]
    ),
  ];
  return (
    <table className={styles.table} data-testid={ids.comparisonMetrics}>
      <thead>
        <tr>
          <th />
          <th>{names.a}</th>
          <th>{names.b}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, left, right, format]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{left === undefined ? '–' : format(left)}</td>
            <td>{right === undefined ? '–' : format(right)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
