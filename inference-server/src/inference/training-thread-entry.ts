// The worker_threads entry of a training thread (see training-thread.ts): one training on its own thread and
// backend, so the inference workers keep classifying while it runs. startTraining ends the thread once it has answered.
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../ml/backend.ts';
import { runTraining } from '../ml/run-training.ts';
import type { TrainingRequest, TrainingThreadRequest, TrainingThreadResponse } from './messages.ts';

if (parentPort === null) {
  throw new Error('training-thread-entry.ts is a worker_threads entry: start it through startTraining');
}
const port = parentPort;
const cancellation = new AbortController();

function send(response: TrainingThreadResponse): void {
  port.postMessage(response);
}

async function train(request: TrainingRequest): Promise<void> {
  try {
    const backend = await selectBackend(request.backend ?? 'auto');
    const result = await runTraining(request, backend, {
      onProgress: (progress) => send({ kind: 'progress', progress }),
      signal: cancellation.signal,
    });
    send({ kind: 'finished', result });
  } catch (error) {
    send({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (request: TrainingThreadRequest) => {
  if (request.kind === 'cancel') cancellation.abort();
  else void train(request.request);
});
