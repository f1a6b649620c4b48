// What bench:pipeline runs against: a real server in this process (so that process.cpuUsage() is the server's),
// the load generator in its own process, readings of the server's status, and its verdicts as they are stored.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { BackendName } from '../src/inference/messages.ts';
import { createInceptionV3 } from '../src/ml/architectures/inceptionv3.ts';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { saveModel } from '../src/ml/model-io.ts';
import type { ServerStatus, WorkerBusyTime } from '../src/schemas/index.ts';
import { createPlotType, httpClient, registerModelFolder } from '../test/helpers/api.ts';
import { waitFor } from '../test/helpers/services.ts';
import type { BenchModelName } from './forward.ts';
import type { LoadReply, LoadRequest } from './load-generator.ts';

const CLASSES = ['Good', 'Bad', 'NoData'];

/** Distinct, plot-like 800×600 PNGs (a bar histogram whose bars depend on the index), about the size of a real one. */
export async function plotPngs(count: number): Promise<Buffer[]> {
  const pngs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const bars = Array.from({ length: 60 }, (_, bin) => {
      const height = 50 + ((bin * 7919 + i * 104729) % 450);
      return `<rect x="${60 + bin * 11}" y="${550 - height}" width="10" height="${height}" fill="#3060c0"/>`;
    }).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="#fff"/>${bars}<text x="300" y="40" font-size="24">plot ${i}</text></svg>`;
    pngs.push(await sharp(Buffer.from(svg)).png().toBuffer());
  }
  return pngs;
}

export interface BenchServer {
  url: string;
  app: FastifyInstance;
  status: () => Promise<ServerStatus>;
  close: () => Promise<void>;
}

export async function startServer(backend: BackendName, workers: number): Promise<BenchServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-'));
  const config = loadConfig({
    HYDRA_DATA_DIR: dataDir,
    HYDRA_BACKEND: backend,
    HYDRA_WORKERS: String(workers),
    HYDRA_AUTH: 'false',
    HYDRA_LOG_LEVEL: 'warn',
  });
  const app = await buildApp(config);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    app,
    status: async () => (await app.inject({ url: '/api/v1/status' })).json<ServerStatus>(),
    close: async () => {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the status once nothing is pending and at least `classified` images are; fails on a failed image. */
export function drained(server: BenchServer, classified: number): Promise<ServerStatus> {
  return waitFor(
    async () => {
      const status = await server.status();
      if (status.queue.failed > 0) throw new Error(`${status.queue.failed} images failed`);
      return status.queue.pending === 0 && status.queue.classified >= classified && status;
    },
    { timeoutMs: 600_000, intervalMs: 20, what: 'the queue to drain' },
  );
}

const MODELS: Record<BenchModelName, () => LayersModel> = {
  'small-cnn': () => createSmallCnn({ inputShape: [64, 64, 1], numClasses: 3, seed: 1 }),
  inceptionv3: () => createInceptionV3({ inputShape: [299, 299, 3], numClasses: 3, seed: 1 }),
};

/** A plot type named after the model, with the model's random-weight version active on it. */
export async function registerModel(server: BenchServer, model: BenchModelName): Promise<void> {
  const api = httpClient(server.url);
  const info = await createPlotType(api, 'none', 'bench', model);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-model-'));
  const network = MODELS[model]();
  await saveModel(network, dir);
  network.dispose();
  await registerModelFolder(api, 'none', info.id, dir, {
    classes: CLASSES.join(','),
    activate: 'true',
    architecture: model,
  });
  await fs.rm(dir, { recursive: true, force: true });
}

export async function createEmptyPlotType(server: BenchServer, name: string): Promise<void> {
  await createPlotType(httpClient(server.url), 'none', 'bench', name);
}

type Posted = Extract<LoadReply, { kind: 'posted' }>;

/** The load generator's process: one post request at a time, answered when every image of it is accepted. */
export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks the generator and has it read the PNGs of `imageDir`; it posts to `serverUrl` on `connections`. */
  static async start(serverUrl: string, imageDir: string, connections: number): Promise<LoadGenerator> {
    const child = fork(new URL('./load-generator.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
    const generator = new LoadGenerator(child);
    await generator.ask({ kind: 'setup', serverUrl, imageDir, connections });
    return generator;
  }

  async post(plotType: string, run: number, first: number, count: number): Promise<Posted> {
    const reply = await this.ask({ kind: 'post', deployment: 'bench', plotType, run, first, count });
    if (reply.kind !== 'posted') throw new Error(`the load generator answered ${reply.kind} to post`);
    return reply;
  }

  close(): void {
    this.child.kill();
  }

  private ask(request: LoadRequest): Promise<LoadReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the load generator exited with code ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: LoadReply) => {
        this.child.off('exit', onExit);
        if (reply.kind === 'failed') reject(new Error(`load generator: ${reply.error}`));
        else resolve(reply);
      });
      this.child.send(request);
    });
  }
}

/** Verdicts stored within this many milliseconds of the one before are one batch's. */
const SAME_BATCH_MS = 5;

/**
 * Counts the server's verdicts as they are stored (its live events), without asking the catalog, and when: a
 * batch's verdicts arrive together, so `batches` holds each batch's arrival time and size.
 */
export function countVerdicts(server: BenchServer) {
  const counter = { count: 0, batches: [] as Array<{ at: number; images: number }>, stop: () => {} };
  counter.stop = server.app.liveEvents.subscribe((event) => {
    if (event.type !== 'prediction') return;
    counter.count += 1;
    const now = performance.now();
    const last = counter.batches.at(-1);
    if (last && now - last.at < SAME_BATCH_MS) last.images += 1;
    else counter.batches.push({ at: now, images: 1 });
  });
  return counter;
}

/**
 * Images per second between the first and the last batch stored within [from, to]: the window's edges are batch
 * ends, so that a batch cut in two by an edge does not count whole or not at all (an InceptionV3 batch of 16 is
 * seconds long).
 */
export function throughputWithin(batches: Array<{ at: number; images: number }>, from: number, to: number) {
  const inside = batches.filter((batch) => batch.at >= from && batch.at <= to);
  const first = inside[0];
  const last = inside.at(-1);
  if (!first || !last || last === first) throw new Error('fewer than two batches ended in the window');
  const images = inside.slice(1).reduce((total, batch) => total + batch.images, 0);
  const wallSeconds = (last.at - first.at) / 1000;
  return { images, wallSeconds, imagesPerSecond: images / wallSeconds };
}

/** Each worker's busy time between two status readings, as fractions of the wall time between them. */
export function busyBetween(before: WorkerBusyTime[], after: WorkerBusyTime[], wallSeconds: number) {
  return after.map((worker) => {
    const earlier = before.find((w) => w.worker === worker.worker);
    const byRequest = Object.entries(worker.busySecondsByRequest).map(
      ([request, seconds]) =>
        [request, (seconds - (earlier?.busySecondsByRequest[request] ?? 0)) / wallSeconds] as const,
    );
    return {
      worker: worker.worker,
      busy: byRequest.reduce((total, [, share]) => total + share, 0),
      byRequest: Object.fromEntries(byRequest.filter(([, share]) => share > 0)),
    };
  });
}

export type WorkerShares = ReturnType<typeof busyBetween>;

export function formatBusy(shares: WorkerShares): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  return shares
    .map(
      ({ worker, busy, byRequest }) =>
        `worker ${worker} busy ${percent(busy)} (` +
        Object.entries(byRequest)
          .map(([request, share]) => `${request} ${percent(share)}`)
          .join(', ') +
        ')',
    )
    .join('; ');
}
