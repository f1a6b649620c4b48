import type {
  AutoencoderTrainingRequest,
  AutoencoderTrainingResult,
} from '../ml/anomaly/run-autoencoder-training.ts';
import type { SiameseTrainingRequest, SiameseTrainingResult } from '../ml/reference/run-siamese-training.ts';
import type { EncoderKind as Kinds } from '../enums.ts';
import type { BackendPreference } from './messages.ts';
import { runWorkerJob } from './training-thread.ts';
import { siblingScript } from './worker-threads.ts';

/** The encoders trained beside the classifiers, each with its request and result. */
interface EncoderJobs extends Record<Kinds, { request: object; result: object }> {
  autoencoder: { request: AutoencoderTrainingRequest; result: AutoencoderTrainingResult };
  siamese: { request: SiameseTrainingRequest; result: SiameseTrainingResult };
}
export type EncoderKind = keyof EncoderJobs & Kinds;

export type EncoderThreadRequest =
  | {
      [Kind in EncoderKind]: {
        kind: 'train';
        encoder: Kind;
        request: EncoderJobs[Kind]['request'];
        backend: BackendPreference;
      };
    }[EncoderKind]
  | { kind: 'cancel' };

export type EncoderThreadResponse =
  | { kind: 'epoch'; epoch: number; loss: number }
  | { kind: 'finished'; result: EncoderJobs[EncoderKind]['result'] }
  | { kind: 'failed'; error: string };

/** An encoder's training running in a worker thread of its own. */
export interface EncoderThread<Result> {
  /** Resolves when the model is saved and calibrated, or as cancelled; rejects with a TrainingError. */
  result: Promise<Result>;
  cancel(): void;
}

export interface EncoderThreadOptions {
  backend?: BackendPreference;
  onEpoch?: (epoch: number, loss: number) => void;
  workerScript?: string | URL;
}

/**
 * Starts an autoencoder's or a Siamese encoder's training in a worker thread of its own (one backend, one training),
 * so inference carries on.
 */
export function startEncoderTraining<Kind extends EncoderKind>(
  encoder: Kind,
  request: EncoderJobs[Kind]['request'],
  {
    backend = 'auto',
    onEpoch,
    workerScript = siblingScript(import.meta.url, 'encoder-thread-entry'),
  }: EncoderThreadOptions = {},
): EncoderThread<EncoderJobs[Kind]['result']> {
  return runWorkerJob<EncoderJobs[Kind]['result'], Extract<EncoderThreadResponse, { kind: 'epoch' }>>(
    workerScript,
    { kind: 'train', encoder, request, backend },
    (update) => onEpoch?.(update.epoch, update.loss),
  );
}
