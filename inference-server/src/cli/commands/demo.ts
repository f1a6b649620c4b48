import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { buildApp } from '../../app.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { loadConfig } from '../../config.ts';
import { processLogger } from '../../server.ts';
import type { InferencePool } from '../../inference/pool.ts';
import { DemoFeed } from '../../demo/demo-feed.ts';
import { trainDemoModels } from '../../demo/demo-models.ts';

interface DemoOptions {
  interval: string;
  badRate: string;
  seed: string;
  duration?: string;
  train: boolean;
  trainingPlots: string;
}

/** Whether every job ended before `signal` aborted (the demo stopping first). */
async function trainingEnded(catalog: Catalog, jobIds: number[], signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const jobs = await Promise.all(jobIds.map((id) => catalog.trainingJobs.get(id)));
    if (jobs.every((job) => job.finished_at !== null)) return true;
    await sleep(1000);
  }
  return false;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * RSS and where it goes: the main thread's V8 heap and memory outside it (Buffers, libvips, SQLite), and the
 * inference workers' heaps and wasm memories (all in the one process's RSS).
 */
async function memorySample(pool: InferencePool): Promise<string> {
  const { rss, heapUsed, external } = process.memoryUsage();
  const workers = await pool.memory().catch(() => []);
  const sum = (bytes: (worker: (typeof workers)[number]) => number) =>
    megabytes(workers.reduce((total, worker) => total + bytes(worker), 0));
  return (
    `rss ${megabytes(rss)} (heap ${megabytes(heapUsed)}, external ${megabytes(external)}; ` +
    `${workers.length} workers: heap ${sum((w) => w.heapUsedBytes)}, wasm ${sum((w) => w.wasmBytes)})`
  );
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Zero-config showcase: the server on the embedded default, fed a live simulated run')
    .option('--interval <seconds>', 'seconds between sets of plots', '5')
    .option('--bad-rate <fraction>', 'share of plots with a fault', '0.15')
    .option(
      '--seed <number>',
      'simulator seed (default: a new one each start)',
      String(Date.now() % 1_000_000),
    )
    .option('--no-train', 'do not train models: plots stay no_model until one is imported')
    .option('--training-plots <count>', 'simulated, labeled plots per class for each demo model', '40')
    .option('--duration <seconds>', 'stop after this long and print memory use (a soak test)')
    .action(async (options: DemoOptions) => {
      // The demo is for one machine: no tokens unless the environment asks for them.
      const config = loadConfig({
        HYDRA_AUTH: 'false',
        HYDRA_PREVIEW: 'true',
        HYDRA_DATA_DIR: path.join('data', 'demo'),
        ...process.env,
      });
      const app = await buildApp(config, processLogger(config));
      const address = await app.listen({ host: config.HYDRA_HOST, port: config.HYDRA_PORT });
      const feed = new DemoFeed({
        catalog: app.catalog,
        ingest: app.ingest,
        logger: app.log.child({ component: 'demo' }),
        deployment: 'demo',
        intervalMs: Number(options.interval) * 1000,
        setsPerRun: 12,
        badRate: Number(options.badRate),
        seed: Number(options.seed),
        firstRun: 1000,
      });
      await feed.seed();
      feed.start();
      app.log.info(
        `demo running: ${address}/ shows a preview of the plot grid, ${address}/docs the API, ` +
          `${address}/api/v1/training-jobs the models being trained.`,
      );
      const stopping = new AbortController();
      // In the background: the feed runs meanwhile, and each plot type's verdicts start when its model is active.
      const training = options.train
        ? trainDemoModels({
            catalog: app.catalog,
            ingest: app.ingest,
            trainingQueue: app.trainingQueue,
            logger: app.log.child({ component: 'demo' }),
            deployment: 'demo',
            perClass: Number(options.trainingPlots),
            seed: Number(options.seed) + 1_000_000,
            signal: stopping.signal,
          }).catch((error: unknown) => {
            app.log.error({ err: error }, 'demo: could not train the demo models');
            return [];
          })
        : Promise.resolve([]);
      const startedAt = Date.now();
      const atStart = await memorySample(app.inferencePool);
      const stop = async () => {
        stopping.abort();
        await training;
        await feed.stop();
        await app.close();
      };
      if (options.duration) {
        // Training workers come and go in the first minutes; the steady state starts once the models are trained.
        let trained: { seconds: number; sample: string } | undefined;
        void training
          .then((jobIds) => trainingEnded(app.catalog, jobIds, stopping.signal))
          .then(async (ended) => {
            if (ended) {
              const seconds = Math.round((Date.now() - startedAt) / 1000);
              trained = { seconds, sample: await memorySample(app.inferencePool) };
            }
          })
          .catch((error: unknown) =>
            app.log.warn({ err: error }, 'demo: could not follow the training jobs'),
          );
        // One sample a minute: the first minute is warm-up (workers' wasm heaps, libvips caches).
        const samples: string[] = [];
        const sampler = setInterval(
          () => void memorySample(app.inferencePool).then((sample) => samples.push(sample)),
          60_000,
        );
        await new Promise((resolve) => setTimeout(resolve, Number(options.duration) * 1000));
        clearInterval(sampler);
        const atEnd = await memorySample(app.inferencePool);
        await stop();
        console.log(`memory at start: ${atStart}`);
        if (options.train) {
          console.log(
            trained
              ? `once the demo models were trained, after ${trained.seconds} s: ${trained.sample}`
              : 'the demo models were still training at the end: run longer to see the steady state',
          );
        }
        console.log(`at the end, after ${options.duration} s: ${atEnd}`);
        console.log(
          samples.length > 0
            ? `each minute:\n  ${samples.join('\n  ')}`
            : 'each minute: none (under a minute)',
        );
        return;
      }
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await stop();
    });
}
