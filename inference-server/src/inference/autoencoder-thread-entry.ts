// The worker_threads entry of an autoencoder's training (see autoencoder-thread.ts): one job on its own thread and
// backend, so the inference workers keep classifying while it runs.
import { parentPort } from 'node:worker_threads';
import { runAutoencoderTraining } from '../ml/anomaly/run-autoencoder-training.ts';
import { selectBackend } from '../ml/backend.ts';
import type { AutoencoderThreadRequest, AutoencoderThreadResponse } from './autoencoder-thread.ts';

if (parentPort === null) {
  throw new Error(
    'autoencoder-thread-entry.ts is a worker_threads entry: start it through startAutoencoderTraining',
  );
}
const port = parentPort;
const cancellation = new AbortController();

function send(response: AutoencoderThreadResponse): void {
  port.postMessage(response);
}

port.on('message', (message: AutoencoderThreadRequest) => {
  if (message.kind === 'cancel') {
    cancellation.abort();
    return;
  }
  void (async () => {
    try {
      const backend = await selectBackend(message.backend);
      const result = await runAutoencoderTraining(message.request, backend, {
        onEpoch: (epoch, loss) => send({ kind: 'epoch', epoch, loss }),
        signal: cancellation.signal,
      });
      send({ kind: 'finished', result });
    } catch (error) {
      send({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
