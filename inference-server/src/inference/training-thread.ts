import { Worker } from 'node:worker_threads';
import { checkTrainingSet } from '../ml/training-set.ts';
import type {
  TrainingProgress,
  TrainingRequest,
  TrainingResult,
  TrainingThreadRequest,
  TrainingThreadResponse,
} from './messages.ts';
import { execArgvFor, siblingScript } from './worker-threads.ts';

export { TrainingSetError } from '../ml/training-set.ts';

/** A training that failed (its error, e.g. an unreadable image) or whose thread died. */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** A training running in a worker thread of its own. */
export interface TrainingThread {
  /** Resolves when the model is saved and evaluated, or with status 'cancelled'; rejects with a TrainingError. */
  result: Promise<TrainingResult>;
  /** Asks the training to stop at its next batch; it then resolves as cancelled. Does nothing once it has settled. */
  cancel(): void;
}

export interface StartTrainingOptions {
  /** Called on this thread after every training step and epoch. */
  onProgress?: (progress: TrainingProgress) => void;
  /** The worker entry; by default training-thread-entry.ts or .js beside this module. */
  workerScript?: string | URL;
}

/**
 * Starts a training in a worker thread of its own (one backend, one training), so inference carries on. A set that
 * cannot train a classifier (too few images, one class only) throws a TrainingSetError here, before any thread
 * starts.
 */
export function startTraining(
  request: TrainingRequest,
  {
    onProgress,
    workerScript = siblingScript(import.meta.url, 'training-thread-entry'),
  }: StartTrainingOptions = {},
): TrainingThread {
  checkTrainingSet(request.classes, request.split);
  const worker = new Worker(workerScript, { execArgv: execArgvFor(workerScript) });
  let settled = false;
  const result = new Promise<TrainingResult>((resolve, reject) => {
    let crash: Error | undefined;
    const settle = (outcome: () => void): void => {
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (response: TrainingThreadResponse) => {
      if (response.kind === 'progress') onProgress?.(response.progress);
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
  worker.postMessage({ kind: 'train', request } satisfies TrainingThreadRequest);
  return {
    result,
    cancel: () => {
      if (!settled) worker.postMessage({ kind: 'cancel' } satisfies TrainingThreadRequest);
    },
  };
}
