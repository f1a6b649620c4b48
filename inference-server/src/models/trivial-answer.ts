import type { SplitName } from '../enums.ts';
import type { Evaluation, ModelMetrics } from '../schemas/models.ts';

/** What always giving the most frequent class of a split would score on it: the bar a model must clear. */
export interface TrivialAnswer {
  answer: string;
  accuracy: number;
  macroF1: number;
}

export function trivialAnswer(evaluation: Evaluation): TrivialAnswer {
  const supports = evaluation.classes.map((name) => evaluation.perClass[name]?.support ?? 0);
  const most = supports.indexOf(Math.max(...supports));
  const support = supports[most]!;
  const share = evaluation.images === 0 ? 0 : support / evaluation.images;
  const present = supports.filter((count) => count > 0).length;
  // Precision is the class's share and recall 1 for the answer; every other class has an F1 of 0. Computed from the
  // counts as evaluate.ts does (2·TP / (2·TP + FP + FN)), so a model that always gives the answer scores exactly
  // this, not a rounding error above it.
  const answerF1 = share === 0 ? 0 : (2 * support) / (support + evaluation.images);
  return {
    answer: evaluation.classes[most]!,
    accuracy: share,
    macroF1: present === 0 ? 0 : answerF1 / present,
  };
}

/**
 * Why the model is no better than the trivial answer on this split, or undefined when it is: its macro F1 must
 * be higher, and its accuracy no lower.
 */
export function learnedNothing(evaluation: Evaluation, split: SplitName = 'test'): string | undefined {
  const trivial = trivialAnswer(evaluation);
  if (evaluation.macroF1 > trivial.macroF1 && evaluation.accuracy >= trivial.accuracy) return undefined;
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  return (
    `on the ${split} split it scores accuracy ${percent(evaluation.accuracy)}, macro F1 ` +
    `${evaluation.macroF1.toFixed(3)}; always answering ${trivial.answer} scores ${percent(trivial.accuracy)}, ` +
    `${trivial.macroF1.toFixed(3)}`
  );
}

/**
 * Why a trained version is not useful, or undefined when it is: it must beat the trivial answer on both held-out
 * splits, test and validation (versions trained before validation was kept are judged on test alone).
 */
export function notUseful(
  metrics: Pick<ModelMetrics, 'evaluation'> & Partial<Pick<ModelMetrics, 'validation'>>,
) {
  return (
    learnedNothing(metrics.evaluation, 'test') ??
    (metrics.validation && learnedNothing(metrics.validation, 'validation'))
  );
}
