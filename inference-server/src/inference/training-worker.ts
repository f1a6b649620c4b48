// A worker_threads entry started by startTraining: one training job on its own thread and backend, so the
// inference workers keep classifying while it runs. startTraining ends the thread once the job has answered.
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../ml/backend.ts';
import { runTrainingJob } from '../ml/training-job.ts';
import type { TrainingRequest, TrainingWorkerRequest, TrainingWorkerResponse } from './messages.ts';

if (parentPort === null) {
  throw new Error('training-worker.ts is a worker_threads entry: start it through startTraining');
}
const port = parentPort;
const cancellation = new AbortController();

function send(response: TrainingWorkerResponse): void {
  port.postMessage(response);
}

async function train(request: TrainingRequest): Promise<void> {
  try {
    const backend = await selectBackend(request.backend ?? 'auto');
    const result = await runTrainingJob(request, backend, {
      onProgress: (progress) => send({ kind: 'progress', progress }),
      signal: cancellation.signal,
    });
    send({ kind: 'finished', result });
  } catch (error) {
    send({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (request: TrainingWorkerRequest) => {
  if (request.kind === 'cancel') cancellation.abort();
  else void train(request.request);
});
