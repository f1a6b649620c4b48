// The pipeline's figures: bare forward throughput, end-to-end throughput through HTTP and their ratio,
// ingest-only throughput, and image-to-verdict latency at Hall-D rate and at 10×.
// Run: npm run bench:pipeline [-- --backends wasm,tensorflow --quick]
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LayersModel } from '@tensorflow/tfjs';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildApp } from '../src/app.ts';
import { uploadImage } from '../src/cli/ingest-client.ts';
import { loadConfig } from '../src/config.ts';
import type { BackendName } from '../src/inference/messages.ts';
import { createInceptionV3 } from '../src/ml/architectures/inceptionv3.ts';
import { createSmallCnn } from '../src/ml/architectures/small-cnn.ts';
import { saveModel } from '../src/ml/model-io.ts';
import type { PredictionList, ServerStatus } from '../src/schemas/index.ts';
import { createPlotType, httpClient, multipartBody, registerModelFolder } from '../test/helpers/api.ts';
import { waitFor } from '../test/helpers/services.ts';
import { benchForward, type BenchModelName, type ForwardBenchRow } from './forward.ts';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});

const CLASSES = ['Good', 'Bad', 'NoData'];
const UPLOAD_CONCURRENCY = 16;

/** Distinct, plot-like 800×600 PNGs (a bar histogram whose bars depend on the index), about the size of a real one. */
async function plotPngs(count: number): Promise<Buffer[]> {
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

async function presentBackends(): Promise<BackendName[]> {
  if (args.backends) return args.backends.split(',') as BackendName[];
  const present: BackendName[] = [];
  for (const [name, module] of [
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
    ['tensorflow', '@tensorflow/tfjs-node'],
  ] as const) {
    try {
      await import(module);
      present.push(name);
    } catch {
      // Not installed here.
    }
  }
  return [...present, 'wasm'];
}

interface RunningServer {
  url: string;
  api: ReturnType<typeof httpClient>;
  app: FastifyInstance;
  close: () => Promise<void>;
}

async function startServer(backend: BackendName, workers: number): Promise<RunningServer> {
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
    api: httpClient(url),
    app,
    close: async () => {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts the images through real HTTP, `UPLOAD_CONCURRENCY` at a time; resolves when all are accepted. */
async function postAll(url: string, pngs: Buffer[], plotType: string, run: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
      while (next < pngs.length) {
        const i = next++;
        await uploadImage({ serverUrl: url }, pngs[i]!, `${plotType}.png`, {
          deployment: 'bench',
          plotType,
          run,
        });
      }
    }),
  );
}

async function drained(server: RunningServer, expectedClassified: number) {
  return waitFor(
    async () => {
      const status = (await server.api.inject({ url: '/api/v1/status' })).json<ServerStatus>();
      if (status.queue.failed > 0) throw new Error(`${status.queue.failed} images failed`);
      return status.queue.pending === 0 && status.queue.classified >= expectedClassified && status;
    },
    { timeoutMs: 600_000, intervalMs: 20, what: 'the queue to drain' },
  );
}

const MODELS: Record<BenchModelName, { inputShape: [number, number, number]; create: () => LayersModel }> = {
  'small-cnn': {
    inputShape: [64, 64, 1],
    create: () => createSmallCnn({ inputShape: [64, 64, 1], numClasses: 3, seed: 1 }),
  },
  inceptionv3: {
    inputShape: [299, 299, 3],
    create: () => createInceptionV3({ inputShape: [299, 299, 3], numClasses: 3, seed: 1 }),
  },
};

async function registerModel(server: RunningServer, plotType: string, model: BenchModelName) {
  const info = await createPlotType(server.api, 'none', 'bench', plotType);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-model-'));
  const network = MODELS[model].create();
  await saveModel(network, dir);
  network.dispose();
  await registerModelFolder(server.api, 'none', info.id, dir, {
    classes: CLASSES.join(','),
    activate: 'true',
    architecture: model,
  });
  await fs.rm(dir, { recursive: true, force: true });
}

/** Images per second from the first upload to the last verdict, through HTTP, the catalog and the workers. */
async function endToEnd(backend: BackendName, model: BenchModelName, count: number, pngs: Buffer[]) {
  const server = await startServer(backend, 2);
  try {
    await registerModel(server, model, model);
    // Warm-up: the workers load the model and set up their kernels.
    await postAll(server.url, pngs.slice(0, 4), model, 1);
    await drained(server, 4);
    const started = performance.now();
    await postAll(server.url, pngs.slice(4, 4 + count), model, 2);
    await drained(server, 4 + count);
    return (count * 1000) / (performance.now() - started);
  } finally {
    await server.close();
  }
}

async function ingestOnly(count: number, pngs: Buffer[]) {
  const server = await startServer('wasm', 1);
  try {
    await createPlotType(server.api, 'none', 'bench', 'no-model');
    const started = performance.now();
    await postAll(server.url, pngs.slice(0, count), 'no-model', 1);
    return (count * 1000) / (performance.now() - started);
  } finally {
    await server.close();
  }
}

/** The same, through `inject`: the server's own cost, without an HTTP client on the same two cores. */
async function ingestInProcess(count: number, pngs: Buffer[]) {
  const server = await startServer('wasm', 1);
  try {
    await createPlotType(server.api, 'none', 'bench', 'no-model');
    const bodies = await Promise.all(
      pngs
        .slice(0, count)
        .map((png) =>
          multipartBody({ deployment: 'bench', plotType: 'no-model', run: '1' }, [
            { field: 'file', name: 'p.png', content: png },
          ]),
        ),
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const response = await server.app.inject({
            method: 'POST',
            url: '/api/v1/images',
            headers: body.headers,
            payload: body.payload,
          });
          if (response.statusCode !== 201) throw new Error(response.body);
        }
      }),
    );
    return (count * 1000) / (performance.now() - started);
  } finally {
    await server.close();
  }
}

/** Bursts of `burst` images; waits for each burst's verdicts; returns image-to-verdict latency percentiles. */
async function burstLatency(backend: BackendName, burst: number, bursts: number, pngs: Buffer[]) {
  const server = await startServer(backend, 2);
  try {
    await registerModel(server, 'latency', 'small-cnn');
    await postAll(server.url, pngs.slice(0, 4), 'latency', 1);
    await drained(server, 4);
    for (let b = 0; b < bursts; b++) {
      const offset = 4 + b * burst;
      await postAll(server.url, pngs.slice(offset, offset + burst), 'latency', 100 + b);
      await drained(server, offset + burst);
    }
    const { items } = (
      await server.api.inject({ url: `/api/v1/predictions?limit=${burst * bursts}` })
    ).json<PredictionList>();
    const latencies = items.map((p) => p.latencyMs).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return { p50: at(0.5), p99: at(0.99), samples: latencies.length };
  } finally {
    await server.close();
  }
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  const quick = args.quick;
  console.log(
    `Hydra pipeline benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`,
  );
  const pngs = await plotPngs(quick ? 400 : 1100);
  console.log(
    `test plots: ${pngs.length} distinct 800×600 PNGs, ${fixed(pngs.reduce((s, p) => s + p.length, 0) / pngs.length / 1024)} KiB on average\n`,
  );

  const ingestCount = quick ? 300 : 1000;
  const ingestRate = await ingestOnly(ingestCount, pngs);
  console.log(
    `ingest only, no model, SQLite, ${UPLOAD_CONCURRENCY} concurrent HTTP uploads from this process: ` +
      `${fixed(ingestRate)} img/s (${ingestCount} images; goal ≥ 200)`,
  );
  const injectRate = await ingestInProcess(ingestCount, pngs);
  console.log(`ingest only, the server's own cost (inject, no HTTP client): ${fixed(injectRate)} img/s\n`);

  for (const backend of await presentBackends()) {
    console.log(`── backend: ${backend}`);
    const forward = await benchForward({
      images: pngs.slice(0, 16),
      backend,
      models: ['small-cnn', 'inceptionv3'],
      workerCounts: [1, 2],
      batchSizes: [1, 16],
    });
    console.log('bare forward through the worker pool (PNG decode + preprocessing + forward):');
    console.table(
      forward.rows.map((row: ForwardBenchRow) => ({
        model: row.model,
        input: row.input,
        workers: row.workers,
        batch: row.batchSize,
        'img/s': fixed(row.imagesPerSecond),
        'forward ms/img': fixed(row.forwardMsPerImage),
      })),
    );
    for (const [model, count] of [
      ['small-cnn', quick ? 128 : 384],
      ['inceptionv3', quick ? 16 : 48],
    ] as const) {
      const bare = forward.rows.find((r) => r.model === model && r.workers === 2 && r.batchSize === 16)!;
      const e2e = await endToEnd(backend, model, count, pngs);
      console.log(
        `end to end through HTTP, ${model}, 2 workers, batch 16: ${fixed(e2e)} img/s vs bare ${fixed(bare.imagesPerSecond)} img/s ` +
          `→ ratio ${fixed(e2e / bare.imagesPerSecond, 2)} (goal ≥ 0.9; ${count} images)`,
      );
    }
    const hallD = await burstLatency(backend, 16, quick ? 3 : 5, pngs);
    console.log(
      `image-to-verdict latency at Hall-D rate (bursts of 16), small CNN: p50 ${fixed(hallD.p50)} ms, p99 ${fixed(hallD.p99)} ms (${hallD.samples} images)`,
    );
    const tenfold = await burstLatency(backend, 160, quick ? 1 : 3, pngs);
    console.log(
      `image-to-verdict latency at 10× (bursts of 160), small CNN: p50 ${fixed(tenfold.p50)} ms, p99 ${fixed(tenfold.p99)} ms (${tenfold.samples} images)\n`,
    );
  }
}

await main();
