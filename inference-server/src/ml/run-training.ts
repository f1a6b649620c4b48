import { performance } from 'node:perf_hooks';
import type { BackendInfo, TrainingRequest, TrainingResult } from '../inference/messages.ts';
import { chooseThresholds, evaluatePredictions } from './evaluate.ts';
import { ImageDataset, predictDataset } from './image-dataset.ts';
import { saveModel } from './model-io.ts';
import { trainClassifier } from './train.ts';
import type { TrainingProgress } from './train.ts';

export interface TrainingHooks {
  onProgress?: (progress: TrainingProgress) => void;
  /** Stops the training between batches, or before evaluation; a cancelled training saves nothing. */
  signal?: AbortSignal;
}

/**
 * A whole training on the current thread's backend: trains, evaluates the best epoch's model on the test
 * split, chooses thresholds on the validation split, and saves the model to `request.outputDir`.
 */
export async function runTraining(
  request: TrainingRequest,
  backend: BackendInfo,
  { onProgress, signal }: TrainingHooks = {},
): Promise<TrainingResult> {
  const started = performance.now();
  const { classes, inputShape, split } = request;
  const trained = await trainClassifier({
    architecture: request.architecture,
    inputShape,
    classes,
    train: split.train,
    validation: split.validation,
    hyperParameters: request.hyperParameters,
    seed: request.seed,
    ...(request.baseWeightsDir !== undefined && { baseWeightsDir: request.baseWeightsDir }),
    ...(onProgress && { onProgress }),
    ...(signal && { signal }),
  });
  const run = { backend, history: trained.history, epochsRun: trained.epochsRun, steps: trained.steps };
  const cancelled = (): TrainingResult => ({
    status: 'cancelled',
    ...run,
    timings: { totalMs: performance.now() - started },
  });
  if (trained.status === 'cancelled') return cancelled();
  const { model } = trained;
  try {
    if (signal?.aborted) return cancelled();
    const evaluating = performance.now();
    const testLabels = split.test.map((image) => image.label);
    const validationLabels = split.validation.map((image) => image.label);
    const testProbabilities = await predictDataset(
      model,
      new ImageDataset(split.test, inputShape),
      request.hyperParameters.batchSize,
    );
    const evaluation = {
      test: evaluatePredictions(testProbabilities, testLabels, classes),
      validation: evaluatePredictions(trained.validationProbabilities, validationLabels, classes),
    };
    const thresholds = chooseThresholds(trained.validationProbabilities, validationLabels, classes);
    const saving = performance.now();
    await saveModel(model, request.outputDir);
    const finished = performance.now();
    return {
      status: 'completed',
      ...run,
      modelDir: request.outputDir,
      bestEpoch: trained.bestEpoch,
      stoppedEarly: trained.stoppedEarly,
      evaluation,
      probabilities: { validation: trained.validationProbabilities, test: testProbabilities },
      thresholds,
      timings: {
        totalMs: finished - started,
        trainMs: trained.durationMs,
        msPerStep: trained.durationMs / trained.steps,
        evaluateMs: saving - evaluating,
        saveMs: finished - saving,
      },
    };
  } finally {
    model.dispose();
  }
}
