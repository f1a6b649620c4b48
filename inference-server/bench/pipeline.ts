// The pipeline's figures: the server's ingest rate and CPU per image, bare forward throughput, end-to-end
// throughput under a sustained feed (with each worker's busy time) and its ratio to bare forward, and
// image-to-verdict latency of bursts. The load generator is a process of its own, so the server's figures hold
// none of the client's CPU (the client still shares the machine's cores).
// Run: npm run bench:pipeline [-- --backends wasm,tensorflow --models small-cnn,inceptionv3 --quick]
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { BackendName } from '../src/inference/messages.ts';
import type { PredictionList } from '../src/schemas/index.ts';
import { waitFor } from '../test/helpers/services.ts';
import { benchForward, type BenchModelName, type ForwardBenchRow } from './forward.ts';
import {
  busyBetween,
  countVerdicts,
  createEmptyPlotType,
  drained,
  formatBusy,
  LoadGenerator,
  plotPngs,
  registerModel,
  startServer,
  throughputWithin,
} from './pipeline-server.ts';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string' },
    quick: { type: 'boolean', default: false },
    models: { type: 'string' },
  },
});

const BENCH_MODELS = (args.models?.split(',') ?? ['small-cnn', 'inceptionv3']) as BenchModelName[];

/** HTTP connections the load generator keeps open (Hall D's DAQ posts a burst of 16 plots at once). */
const CONNECTIONS = 16;
const WORKERS = 2;

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

/**
 * Ingest only (a plot type with no model): accepted images per second, and the server's CPU per image, over
 * `rounds` runs of every test plot. A first, untimed run warms the connections, the JIT, the catalog's pages and
 * the image folders (a new data folder has none of the 256 yet, a server in service has them all).
 */
async function ingestOnly(imageDir: string, plots: number, rounds: number) {
  const server = await startServer('wasm', 1);
  const client = await LoadGenerator.start(server.url, imageDir, CONNECTIONS);
  try {
    await createEmptyPlotType(server, 'no-model');
    await client.post('no-model', 0, 0, plots);
    const cpu = process.cpuUsage();
    let wallMs = 0;
    let clientCpuMs = 0;
    for (let run = 1; run <= rounds; run++) {
      const posted = await client.post('no-model', run, 0, plots);
      wallMs += posted.wallMs;
      clientCpuMs += posted.clientCpuMs;
    }
    const used = process.cpuUsage(cpu);
    const count = plots * rounds;
    return {
      count,
      imagesPerSecond: (count * 1000) / wallMs,
      serverCpuMsPerImage: (used.user + used.system) / 1000 / count,
      clientCpuMsPerImage: clientCpuMs / count,
    };
  } finally {
    client.close();
    await server.close();
  }
}

/**
 * End-to-end throughput in a steady state: the load generator keeps a backlog of pending images (bursts of one
 * batch per worker, whenever fewer than three bursts wait), so the workers never run dry, and verdicts are counted
 * over a window that starts once every worker has classified two batches and ends while the feed still runs:
 * filling and draining the queue are outside it. Each worker's busy share is read over the same window.
 */
async function sustained(backend: BackendName, model: BenchModelName, imageDir: string, seconds: number) {
  const server = await startServer(backend, WORKERS);
  const client = await LoadGenerator.start(server.url, imageDir, CONNECTIONS);
  const verdicts = countVerdicts(server);
  let feeding = true;
  let posted = 0;
  try {
    await registerModel(server, model);
    const burst = server.app.config.HYDRA_BATCH_SIZE * WORKERS;
    const feed = (async () => {
      for (let run = 1; feeding;) {
        if (posted - verdicts.count < 3 * burst) {
          await client.post(model, run++, posted, burst);
          posted += burst;
        } else {
          await sleep(10);
        }
      }
    })();
    await waitFor(() => verdicts.count >= 2 * burst, { timeoutMs: 600_000, what: 'the warm-up batches' });
    const eventLoop = performance.eventLoopUtilization();
    const start = { at: performance.now(), status: await server.status() };
    await sleep(seconds * 1000);
    const end = { at: performance.now(), status: await server.status() };
    const eventLoopBusy = performance.eventLoopUtilization(eventLoop).utilization;
    feeding = false;
    await feed;
    if (end.status.queue.failed > 0) throw new Error(`${end.status.queue.failed} images failed`);
    return {
      ...throughputWithin(verdicts.batches, start.at, end.at),
      busy: busyBetween(
        start.status.workers.perWorker,
        end.status.workers.perWorker,
        (end.at - start.at) / 1000,
      ),
      eventLoopBusy,
    };
  } finally {
    feeding = false;
    verdicts.stop();
    client.close();
    await server.close();
  }
}

/** Bursts of `burst` images, each posted once the last is classified: image-to-verdict latency and busy time. */
async function burstLatency(
  backend: BackendName,
  model: BenchModelName,
  imageDir: string,
  burst: number,
  bursts: number,
) {
  const server = await startServer(backend, WORKERS);
  const client = await LoadGenerator.start(server.url, imageDir, CONNECTIONS);
  try {
    await registerModel(server, model);
    // Warm-up: both workers load the model.
    await client.post(model, 1, 0, 2 * WORKERS);
    await drained(server, 2 * WORKERS);
    const before = { at: performance.now(), status: await server.status() };
    for (let b = 0; b < bursts; b++) {
      await client.post(model, 100 + b, b * burst, burst);
      await drained(server, 2 * WORKERS + (b + 1) * burst);
    }
    const after = { at: performance.now(), status: await server.status() };
    const { items } = (
      await server.app.inject({ url: `/api/v1/predictions?limit=${burst * bursts}` })
    ).json<PredictionList>();
    const latencies = items.map((p) => p.latencyMs).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const wallSeconds = (after.at - before.at) / 1000;
    return {
      p50: at(0.5),
      p99: at(0.99),
      samples: latencies.length,
      busy: busyBetween(before.status.workers.perWorker, after.status.workers.perWorker, wallSeconds),
    };
  } finally {
    client.close();
    await server.close();
  }
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

/**
 * Seconds of sustained feed per model, and the ratio each should reach on two cores: at least a dozen batches per
 * worker for InceptionV3 even in the quick run (a batch of 16 takes 6 to 7 s on one core).
 */
const SUSTAINED: Array<{ model: BenchModelName; seconds: number; quickSeconds: number; goal: number }> = [
  { model: 'small-cnn', seconds: 60, quickSeconds: 20, goal: 0.7 },
  { model: 'inceptionv3', seconds: 180, quickSeconds: 90, goal: 0.9 },
];

/** Bare forward throughput of `model` with the bench's workers at batch 16, as the sustained run compares with. */
async function bareForward(backend: BackendName, model: BenchModelName, pngs: Buffer[]) {
  const { rows } = await benchForward({
    images: pngs.slice(0, 16),
    backend,
    models: [model],
    workerCounts: [WORKERS],
    batchSizes: [16],
  });
  return rows[0]!.imagesPerSecond;
}

const load = () => fixed(os.loadavg()[0] ?? 0, 2);

async function main() {
  const quick = args.quick;
  console.log(
    `Hydra pipeline benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `load average ${fixed(os.loadavg()[0] ?? 0, 2)} at start`,
  );
  const pngs = await plotPngs(quick ? 400 : 1000);
  const imageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-plots-'));
  await Promise.all(
    pngs.map((png, i) => fs.writeFile(path.join(imageDir, `plot-${String(i).padStart(5, '0')}.png`), png)),
  );
  console.log(
    `test plots: ${pngs.length} distinct 800×600 PNGs, ${fixed(pngs.reduce((s, p) => s + p.length, 0) / pngs.length / 1024)} KiB on average; ` +
      `load generator: a process of its own, ${CONNECTIONS} keep-alive connections\n`,
  );

  const ingest = await ingestOnly(imageDir, pngs.length, quick ? 2 : 3);
  console.log(
    `ingest only, no model, SQLite: ${fixed(ingest.imagesPerSecond)} img/s (goal ≥ 300); server CPU ` +
      `${fixed(ingest.serverCpuMsPerImage, 2)} ms/image (goal ≤ 1.5); client CPU ${fixed(ingest.clientCpuMsPerImage, 2)} ` +
      `ms/image in its own process (${ingest.count} images)\n`,
  );

  for (const backend of await presentBackends()) {
    console.log(`── backend: ${backend}`);
    const forward = await benchForward({
      images: pngs.slice(0, 16),
      backend,
      models: BENCH_MODELS,
      workerCounts: [1, WORKERS],
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
    for (const { model, seconds, quickSeconds, goal } of SUSTAINED.filter((s) =>
      BENCH_MODELS.includes(s.model),
    )) {
      // Bare forward right before and right after the sustained run: other work on a shared machine comes and
      // goes, and the ratio should compare the two under the same load.
      const loadBefore = load();
      const bareBefore = await bareForward(backend, model, pngs);
      const e2e = await sustained(backend, model, imageDir, quick ? quickSeconds : seconds);
      const bareAfter = await bareForward(backend, model, pngs);
      const bare = (bareBefore + bareAfter) / 2;
      console.log(
        `end to end through HTTP, sustained feed, ${model}, ${WORKERS} workers, batch 16: ${fixed(e2e.imagesPerSecond)} img/s ` +
          `vs bare ${fixed(bare)} img/s (${fixed(bareBefore)} before, ${fixed(bareAfter)} after) → ratio ` +
          `${fixed(e2e.imagesPerSecond / bare, 2)} (goal ≥ ${goal}; ${e2e.images} verdicts in a ${fixed(e2e.wallSeconds)} s ` +
          `window between batch ends; load average ${loadBefore} → ${load()})\n  ${formatBusy(e2e.busy)}; ` +
          `server event loop busy ${fixed(e2e.eventLoopBusy * 100)} %`,
      );
    }
    for (const [model, burst, bursts] of [
      ['inceptionv3', 16, quick ? 1 : 2],
      ['small-cnn', 16, quick ? 3 : 5],
      ['small-cnn', 160, quick ? 1 : 3],
    ] as const) {
      if (!BENCH_MODELS.includes(model)) continue;
      const latency = await burstLatency(backend, model, imageDir, burst, bursts);
      console.log(
        `image-to-verdict latency, bursts of ${burst}, ${model}: p50 ${fixed(latency.p50)} ms, ` +
          `p99 ${fixed(latency.p99)} ms (${latency.samples} images)\n  ${formatBusy(latency.busy)}`,
      );
    }
    console.log('');
  }
  await fs.rm(imageDir, { recursive: true, force: true });
}

await main();
