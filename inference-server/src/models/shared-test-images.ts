import type { ModelVersionRow, SplitPrediction } from '../catalog/repositories/models-repository.ts';
import { evaluatePredictions, type Evaluation } from '../ml/evaluate.ts';

/** A test image of two versions: in both test splits, with the same true class, a class both versions have. */
export interface SharedTestImage {
  imageId: number;
  trueClass: string;
  a: SplitPrediction;
  b: SplitPrediction;
}

/**
 * The test images two versions can be judged on together. An image relabeled between their trainings is left out
 * (the two were scored against different truths), and so is one of a class a version does not know.
 */
export function sharedTestImages(
  a: { version: ModelVersionRow; test: SplitPrediction[] },
  b: { version: ModelVersionRow; test: SplitPrediction[] },
): SharedTestImage[] {
  const ofB = new Map(b.test.map((prediction) => [prediction.imageId, prediction]));
  return a.test.flatMap((predictionA) => {
    const predictionB = ofB.get(predictionA.imageId);
    const { trueClass } = predictionA;
    const comparable =
      predictionB !== undefined &&
      predictionB.trueClass === trueClass &&
      a.version.classes.includes(trueClass) &&
      b.version.classes.includes(trueClass);
    return comparable ? [{ imageId: predictionA.imageId, trueClass, a: predictionA, b: predictionB }] : [];
  });
}

/** A version's evaluation on the shared images: evaluate.ts's metrics, in the version's own classes. */
export function evaluateShared(
  shared: SharedTestImage[],
  side: 'a' | 'b',
  version: ModelVersionRow,
): Evaluation {
  return evaluatePredictions(
    shared.map((image) => image[side].probabilities),
    shared.map((image) => version.classes.indexOf(image.trueClass)),
    version.classes,
  );
}

/** Pooled recall of the given classes (those of severity alarm): 0 when no image is of them. */
export function recallOf(evaluation: Evaluation, classNames: string[]): number {
  let found = 0;
  let support = 0;
  for (const name of classNames) {
    const c = evaluation.classes.indexOf(name);
    if (c === -1) continue;
    const row = evaluation.confusionMatrix[c]!;
    found += row[c]!;
    support += row.reduce((sum, count) => sum + count, 0);
  }
  return support === 0 ? 0 : found / support;
}
