import { useCallback } from 'react';
import type { ConfusionCell, SplitName, SplitPredictions } from '@hydra/plugin-kit/client';
import { useApp } from '../../../components/App/AppContext';
import { useRequest, type Loaded } from './useRequest';

/** A trained version's validation or test images with their probabilities, or one confusion-matrix cell's. */
export function useSplitPredictions(
  plotTypeId: number,
  versionId: number,
  split: SplitName,
  cell?: ConfusionCell
): Loaded<SplitPredictions> {
  const { client } = useApp();
  const trueClass = cell?.trueClass;
  const predictedClass = cell?.predictedClass;
  return useRequest(
    useCallback(
      () =>
        client.splitPredictions(
          plotTypeId,
          versionId,
          split,
          trueClass === undefined || predictedClass === undefined ? undefined : { trueClass, predictedClass }
        ),
      [client, plotTypeId, versionId, split, trueClass, predictedClass]
    )
  );
}

/** The labels of a split as class indices in the order of its `classes`, beside each image's probabilities. */
export function labeledProbabilities({ classes, items }: SplitPredictions) {
  const known = items.filter((item) => classes.includes(item.trueClass));
  return {
    probabilities: known.map((item) => item.probabilities),
    labels: known.map((item) => classes.indexOf(item.trueClass)),
  };
}
