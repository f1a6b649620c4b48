import React from 'react';
import { useStyles2 } from '@grafana/ui';
import type { Evaluation } from '@hydra/inference-server/api';
import { metric, percent } from './format';
import { getEvaluationStyles } from './styles';
import { evaluationTestIds } from './testIds';

/** Per class precision, recall, F1 and the images of the class, then the split's accuracy and macro F1. */
export function ClassMetricsTable({
  evaluation,
  testId = evaluationTestIds.classMetrics,
}: {
  evaluation: Evaluation;
  testId?: string;
}) {
  const styles = useStyles2(getEvaluationStyles);
  return (
    <table className={styles.table} data-testid={testId}>
      <thead>
        <tr>
          <th>Class</th>
          <th>Precision</th>
          <th>Recall</th>
          <th>F1</th>
          <th>Images</th>
        </tr>
      </thead>
      <tbody>
        {evaluation.classes.map((name) => {
          const row = evaluation.perClass[name];
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{row ? metric(row.precision) : '–'}</td>
              <td>{row ? metric(row.recall) : '–'}</td>
              <td>{row ? metric(row.f1) : '–'}</td>
              <td>{row?.support ?? 0}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All</th>
          <td colSpan={2}>accuracy {percent(evaluation.accuracy)}</td>
          <td>{metric(evaluation.macroF1)}</td>
          <td>{evaluation.images}</td>
        </tr>
      </tfoot>
    </table>
  );
}
