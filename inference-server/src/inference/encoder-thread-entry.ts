// The worker_threads entry of an encoder's training (see encoder-thread.ts): one job on its own thread and backend,
// so the inference workers keep classifying while it runs.
import { parentPort } from 'node:worker_threads';
import { runAutoencoderTraining } from '../ml/anomaly/run-autoencoder-training.ts';
import { selectBackend } from '../ml/backend.ts';
import { runSiameseTraining } from '../ml/reference/run-siamese-training.ts';
import type { EncoderThreadRequest, EncoderThreadResponse } from './encoder-thread.ts';

if (parentPort === null) {
  throw new Error('encoder-thread-entry.ts is a worker_threads entry: start it through startEncoderTraining');
}
const port = parentPort;
const cancellation = new AbortController();

function send(response: EncoderThreadResponse): void {
  port.postMessage(response);
}

port.on('message', (message: EncoderThreadRequest) => {
  if (message.kind === 'cancel') {
    cancellation.abort();
    return;
  }
  void (async () => {
    try {
      const backend = await selectBackend(message.backend);
      const hooks = {
        onEpoch: (epoch: number, loss: number) => send({ kind: 'epoch', epoch, loss }),
        signal: cancellation.signal,
      };
      const result =
        message.encoder === 'autoencoder'
          ? await runAutoencoderTraining(message.request, backend, hooks)
          : await runSiameseTraining(message.request, backend, hooks);
      send({ kind: 'finished', result });
    } catch (error) {
      send({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
