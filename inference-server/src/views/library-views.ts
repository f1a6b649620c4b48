import type { ModelVersionRow, SplitPrediction } from '../catalog/repositories/models-repository.ts';
import type { SplitName } from '../enums.ts';
import type { Comparison } from '../models/version-review.ts';
import type { SplitPredictions, VersionComparison } from '../schemas/library.ts';
import { modelVersionView } from './api-views.ts';

// The Library's answers beyond the version list: split predictions and comparisons, as the API gives them.

export function splitPredictionsView(
  version: ModelVersionRow,
  split: SplitName,
  items: SplitPrediction[],
): SplitPredictions {
  return {
    versionId: version.id,
    split,
    classes: version.classes,
    items: items.map(({ imageId, trueClass, predictedClass, confidence, probabilities }) => ({
      imageId,
      trueClass,
      predictedClass,
      confidence,
      probabilities,
    })),
  };
}

export function comparisonView(comparison: Comparison): VersionComparison {
  const call = (prediction: SplitPrediction) => ({
    class: prediction.predictedClass,
    confidence: prediction.confidence,
  });
  return {
    a: modelVersionView(comparison.a),
    b: modelVersionView(comparison.b),
    sharedTestImages: comparison.shared.length,
    evaluations: comparison.evaluations,
    disagreements: comparison.disagreements.map((image) => ({
      imageId: image.imageId,
      trueClass: image.trueClass,
      a: call(image.a),
      b: call(image.b),
    })),
  };
}
