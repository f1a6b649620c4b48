import React, { useMemo } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { reliabilityDiagram } from '@hydra/inference-server/metrics';
import type { SplitPredictions } from '@hydra/plugin-kit/client';
import { ChartFrame, ticks } from './ChartFrame';
import { percent } from './format';
import { evaluationTestIds } from './testIds';
import { labeledProbabilities } from './useSplitPredictions';

/**
 * How often the predicted class is right against how confident the model was, in ten bins, with the diagonal of a
 * perfectly calibrated model and the expected calibration error (ECE).
 */
export function ReliabilityDiagram({ split }: { split: SplitPredictions }) {
  const styles = useStyles2(getStyles);
  const diagram = useMemo(() => {
    const { probabilities, labels } = labeledProbabilities(split);
    return reliabilityDiagram(probabilities, labels, 10);
  }, [split]);
  const legend = (
    <div className={styles.legend} data-testid={evaluationTestIds.ece}>
      Expected calibration error: {percent(diagram.ece)} (0 when confidence is how often the model is right)
    </div>
  );
  return (
    <ChartFrame
      title={`Reliability (${split.split} split, ${split.items.length} images)`}
      testId={evaluationTestIds.reliability}
      xLabel="confidence"
      yLabel="accuracy"
      xDomain={[0, 1]}
      yDomain={[0, 1]}
      xTicks={ticks(0, 1, 5)}
      yTicks={ticks(0, 1, 4)}
      legend={legend}
    >
      {(scale) => (
        <>
          {diagram.bins
            .filter((bin) => bin.count > 0)
            .map((bin) => (
              <rect
                key={bin.from}
                x={scale.x(bin.from) + 1}
                width={scale.x(bin.to) - scale.x(bin.from) - 2}
                y={scale.y(bin.accuracy)}
                height={scale.y(0) - scale.y(bin.accuracy)}
                className={styles.bar}
              >
                <title>{`${percent(bin.from)}–${percent(bin.to)}: ${bin.count} images, right ${percent(bin.accuracy)}`}</title>
              </rect>
            ))}
          <line x1={scale.x(0)} y1={scale.y(0)} x2={scale.x(1)} y2={scale.y(1)} className={styles.diagonal} />
        </>
      )}
    </ChartFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ fill: theme.colors.primary.main, opacity: 0.8 }),
  diagonal: css({ stroke: theme.colors.text.secondary, strokeDasharray: '4 3' }),
  legend: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
});
