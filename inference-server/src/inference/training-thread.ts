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
  return runWorkerJob<TrainingResult, Extract<TrainingThreadResponse, { kind: 'progress' }>>(
    workerScript,
    { kind: 'train', request } satisfies TrainingThreadRequest,
    (update) => onProgress?.(update.progress),
  );
}

/** What a job's worker sends last: its result, or why it failed. */
type WorkerJobEnd<Result> = { kind: 'finished'; result: Result } | { kind: 'failed'; error: string };

/**
 * Runs one job in a worker thread of its own: posts `start`, passes every other message to `onUpdate` until the
 * worker sends `finished` or `failed`, then ends the thread. `cancel` posts `{ kind: 'cancel' }` while it runs; a
 * thread that dies first rejects with a TrainingError naming its exit code.
 */
export function runWorkerJob<Result, Update extends { kind: string }>(
  workerScript: string | URL,
  start: object,
  onUpdate: (update: Update) => void,
): { result: Promise<Result>; cancel(): void } {
  const worker = new Worker(workerScript, { execArgv: execArgvFor(workerScript) });
  let settled = false;
  const result = new Promise<Result>((resolve, reject) => {
    let crash: Error | undefined;
    const settle = (outcome: () => void): void => {
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (response: Update | WorkerJobEnd<Result>) => {
      const end = response as WorkerJobEnd<Result>;
      if (end.kind === 'finished') settle(() => resolve(end.result));
      else if (end.kind === 'failed')
        settle(() => reject(new TrainingError(`Training failed: ${end.error}`)));
      else onUpdate(response as Update);
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
  worker.postMessage(start);
  return {
    result,
    cancel: () => {
      if (!settled) worker.postMessage({ kind: 'cancel' });
    },
  };
}
