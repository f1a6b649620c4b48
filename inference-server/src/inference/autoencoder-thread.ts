import type {
  AutoencoderTrainingRequest,
  AutoencoderTrainingResult,
} from '../ml/anomaly/run-autoencoder-training.ts';
import type { BackendPreference } from './messages.ts';
import { runWorkerJob } from './training-thread.ts';
import { siblingScript } from './worker-threads.ts';

export type AutoencoderThreadRequest =
  { kind: 'train'; request: AutoencoderTrainingRequest; backend: BackendPreference } | { kind: 'cancel' };

export type AutoencoderThreadResponse =
  | { kind: 'epoch'; epoch: number; loss: number }
  | { kind: 'finished'; result: AutoencoderTrainingResult }
  | { kind: 'failed'; error: string };

/** An autoencoder's training running in a worker thread of its own. */
export interface AutoencoderThread {
  /** Resolves when the model is saved and calibrated, or as cancelled; rejects with a TrainingError. */
  result: Promise<AutoencoderTrainingResult>;
  cancel(): void;
}

/** Starts the training in a worker thread of its own (one backend, one training), so inference carries on. */
export function startAutoencoderTraining(
  request: AutoencoderTrainingRequest,
  {
    backend = 'auto',
    onEpoch,
    workerScript = siblingScript(import.meta.url, 'autoencoder-thread-entry'),
  }: {
    backend?: BackendPreference;
    onEpoch?: (epoch: number, loss: number) => void;
    workerScript?: string | URL;
  } = {},
): AutoencoderThread {
  return runWorkerJob<AutoencoderTrainingResult, Extract<AutoencoderThreadResponse, { kind: 'epoch' }>>(
    workerScript,
    { kind: 'train', request, backend } satisfies AutoencoderThreadRequest,
    (update) => onEpoch?.(update.epoch, update.loss),
  );
}
