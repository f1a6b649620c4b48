// The worker_threads entry of a clustering (see clusters.ts): its CPU time off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { clusterThumbnails, type Clustering, type ClusteringRequest } from './clustering.ts';

if (parentPort === null) {
  throw new Error('clustering-thread-entry.ts is a worker_threads entry: start it through unlabeledClusters');
}
const port = parentPort;

port.on('message', ({ request }: { kind: 'start'; request: ClusteringRequest }) => {
  try {
    port.postMessage({ kind: 'finished', result: clusterThumbnails(request) satisfies Clustering });
  } catch (error) {
    port.postMessage({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
});
