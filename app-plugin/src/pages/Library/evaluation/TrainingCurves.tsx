import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { ModelMetrics } from '@hydra/inference-server/api';
import { LineChart, type Series } from './LineChart';
import { evaluationTestIds } from './testIds';

/** Loss and accuracy per epoch, on the training and validation splits, with the epoch whose weights were kept. */
export function TrainingCurves({ metrics }: { metrics: ModelMetrics }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const { history, bestEpoch, epochsRun, stoppedEarly } = metrics;
  const train = theme.visualization.getColorByName('blue');
  const validation = theme.visualization.getColorByName('orange');
  const curve = (values: number[]) => values.map((y, i) => ({ x: i + 1, y }));
  const pair = (trainValues: number[], validationValues: number[]): Series[] => [
    { name: 'training', colour: train, points: curve(trainValues) },
    { name: 'validation', colour: validation, points: curve(validationValues), dashed: true },
  ];
  const highestLoss = Math.max(...history.loss, ...history.valLoss, 0.1);
  const epochs: [number, number] = [1, Math.max(2, epochsRun)];
  const xTicks = Array.from({ length: epochs[1] }, (_, i) => i + 1).filter(
    (epoch, _, all) => all.length <= 10 || epoch % Math.ceil(all.length / 10) === 0
  );
  const marker = { x: bestEpoch, label: `weights of epoch ${bestEpoch}${stoppedEarly ? ' (stopped early)' : ''}` };
  return (
    <div className={styles.row} data-testid={evaluationTestIds.curves}>
      <LineChart
        title="Loss"
        xLabel="epoch"
        yLabel="loss"
        xDomain={epochs}
        xTicks={xTicks}
        yDomain={[0, highestLoss * 1.1]}
        formatTick={(value) => (Number.isInteger(value) ? String(value) : value.toFixed(2))}
        series={pair(history.loss, history.valLoss)}
        marker={marker}
      />
      <LineChart
        title="Accuracy"
        xLabel="epoch"
        yLabel="accuracy"
        xDomain={epochs}
        xTicks={xTicks}
        formatTick={(value) => (Number.isInteger(value) ? String(value) : value.toFixed(2))}
        series={pair(history.accuracy, history.valAccuracy)}
        marker={marker}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
});
