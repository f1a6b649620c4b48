import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendSrv } from '../../testing/backendSrv';
import { HydraAppClient } from './appClient';
import type { TrainingJob } from './appTypes';
import { predictionStream, trainingJobStream } from './events';

// jsdom has no EventSource: the streams fall back to short polling, here of a real HTTP server that answers in turn.
let server: http.Server;
let baseUrl = '';
const answers = new Map<string, unknown[]>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const path = request.url!.split('?')[0]!;
    const queue = answers.get(path) ?? [];
    const body = queue.length > 1 ? queue.shift() : queue[0];
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const client = () => new HydraAppClient(baseUrl, () => createBackendSrv(), { retries: 0 });

const job = (status: TrainingJob['status'], epoch: number) =>
  ({
    id: 7,
    deployment: 'halld',
    status,
    progress: { phase: 'epoch', epoch, epochs: 2, step: 3, steps: 3, loss: 1 / epoch, accuracy: 0.5, etaSeconds: 0 },
  }) as unknown as TrainingJob;

describe('the event streams without EventSource', () => {
  it('a training job: as it is now, then each change polled, to its end', async () => {
    answers.set('/training-jobs/7', [job('running', 1), job('running', 1), job('running', 2), job('succeeded', 2)]);
    const updates = await firstValueFrom(trainingJobStream(client(), job('queued', 0)).pipe(take(4), toArray()));
    expect(updates.map((u) => `${u.status} ${u.progress!.epoch}`)).toEqual([
      'running 1',
      'running 1',
      'running 2',
      'succeeded 2',
    ]);
  }, 15_000);

  it('predictions: only those newer than the first poll', async () => {
    answers.set('/predictions', [{ items: [{ id: 1 }] }, { items: [{ id: 3 }, { id: 2 }, { id: 1 }] }]);
    const fresh = await firstValueFrom(predictionStream(client(), 'halld').pipe(take(2), toArray()));
    expect(fresh.map((p) => p.id)).toEqual([2, 3]);
  }, 15_000);
});
