import { Worker } from 'node:worker_threads';
import type {
  AutoencoderTrainingRequest,
  AutoencoderTrainingResult,
} from '../ml/anomaly/run-autoencoder-training.ts';
import type { BackendPreference } from './messages.ts';
import { TrainingError } from './training-thread.ts';
import { execArgvFor, siblingScript } from './worker-threads.ts';

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
  const worker = new Worker(workerScript, { execArgv: execArgvFor(workerScript) });
  let settled = false;
  const result = new Promise<AutoencoderTrainingResult>((resolve, reject) => {
    let crash: Error | undefined;
    const settle = (outcome: () => void): void => {
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (response: AutoencoderThreadResponse) => {
      if (response.kind === 'epoch') onEpoch?.(response.epoch, response.loss);
      else if (response.kind === 'finished') settle(() => resolve(response.result));
      else settle(() => reject(new TrainingError(`Training failed: ${response.error}`)));
    });
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      const cause = crash ? `: ${crash.message}` : '';
      reject(new TrainingError(`The training worker exited with code ${code} before finishing${cause}`));
    });
  });
  worker.postMessage({ kind: 'train', request, backend } satisfies AutoencoderThreadRequest);
  return {
    result,
    cancel: () => {
      if (!settled) worker.postMessage({ kind: 'cancel' } satisfies AutoencoderThreadRequest);
    },
  };
}
