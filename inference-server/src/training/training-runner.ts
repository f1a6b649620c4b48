import type { Evaluation } from '../ml/evaluate.ts';
import type { HyperParameters, TrainingHistory } from '../ml/train.ts';
import type { TrainingSplit } from '../ml/training-set.ts';
import type { TrainingProgress } from '../schemas/index.ts';

export interface TrainingRunRequest {
  architecture: 'small-cnn' | 'inceptionv3' | 'vgg16';
  inputShape: [number, number, number];
  classes: string[];
  split: TrainingSplit;
  hyperParameters: HyperParameters;
  seed: number;
  /** Where the trained model (model.json + weights) is saved. */
  outputDir: string;
}

export type TrainingRunResult =
  | {
      status: 'completed';
      modelDir: string;
      history: TrainingHistory;
      /** On the test split. */
      evaluation: Evaluation;
      /** Chosen on the validation split by maximising F1. */
      thresholds: Record<string, number>;
      durationMs: number;
      steps: number;
      epochsRun: number;
      bestEpoch: number;
      stoppedEarly: boolean;
      backend: string;
    }
  | { status: 'cancelled' };

/** Runs one training job off the event loop (in a worker thread) and reports its progress. */
export interface TrainingRunner {
  start(
    request: TrainingRunRequest,
    onProgress: (progress: TrainingProgress) => void,
  ): { result: Promise<TrainingRunResult>; cancel: () => void };
}
