import React, { useMemo } from 'react';
import { useTheme2 } from '@grafana/ui';
import type { PlotClass } from '@hydra/inference-server/api';
import { precisionRecallCurve } from '@hydra/inference-server/metrics';
import type { SplitPredictions } from '@hydra/plugin-kit/client';
import { classColour } from './classColour';
import { ticks } from './ChartFrame';
import { LineChart } from './LineChart';
import { evaluationTestIds } from './testIds';
import { labeledProbabilities } from './useSplitPredictions';

/** Per class, precision against recall as the class's threshold sweeps from the highest probability down. */
export function PrecisionRecallCurves({ split, plotClasses }: { split: SplitPredictions; plotClasses?: PlotClass[] }) {
  const theme = useTheme2();
  const series = useMemo(() => {
    const { probabilities, labels } = labeledProbabilities(split);
    return split.classes.map((name, c) => ({
      name,
      colour: classColour(theme, plotClasses, name, c),
      points: precisionRecallCurve(probabilities, labels, c).map((point) => ({ x: point.recall, y: point.precision })),
    }));
  }, [split, plotClasses, theme]);
  return (
    <LineChart
      title={`Precision–recall per class (${split.split} split, ${split.items.length} images)`}
      testId={evaluationTestIds.prCurves}
      xLabel="recall"
      yLabel="precision"
      xDomain={[0, 1]}
      xTicks={ticks(0, 1, 4)}
      series={series}
    />
  );
}
