// Live latency under reprocessing load: image-to-verdict p50/p99 of live plots posted in Hall-D bursts (16 plots
// at once, one per plot type), without and with a reprocessing job keeping the workers busy, in alternating rounds
// on one server (small CNNs on wasm, 2 workers, default batch settings). Also the reprocessing rate meanwhile.
// Run: npm run bench:reprocess [-- --rounds 3 --bursts 5 --seed-images 320 --reprocess-workers 2]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { uploadImage } from '../src/cli/ingest-client.ts';
import type { PredictionList, ReprocessJob } from '../src/schemas/index.ts';
import { createPlotType, type ApiClient } from '../test/helpers/api.ts';
import { plotPng } from '../test/helpers/images.ts';
import { waitFor } from '../test/helpers/services.ts';
import { importSmallCnn, percentile, startBenchServer } from './bench-kit.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    bursts: { type: 'string', default: '5' },
    'seed-images': { type: 'string', default: '320' },
    'gap-ms': { type: 'string', default: '1000' },
    'reprocess-workers': { type: 'string', default: '0' },
  },
});

const BURST = 16;
const DEPLOYMENT = 'bench';
const PLOT_TYPES = Array.from({ length: BURST }, (_, i) => `plot_${String(i).padStart(2, '0')}`);
const REPROCESSED = PLOT_TYPES[0]!;
const PER_RUN = 16;

let seed = 0;
const nextPng = () => plotPng({ brightness: (seed % 10) / 10, seed: ++seed, width: 400, height: 300 });

async function post(url: string, plotType: string, run: number): Promise<number> {
  const { image } = await uploadImage({ serverUrl: url }, await nextPng(), `${plotType}.png`, {
    deployment: DEPLOYMENT,
    plotType,
    run,
  });
  return image.id;
}

/** The newest `count` live verdicts, once they include every one of `imageIds`. */
async function verdictsOf(api: ApiClient, imageIds: number[], count = imageIds.length) {
  return waitFor(
    async () => {
      const { items } = (
        await api.inject({ url: `/api/v1/predictions?deployment=${DEPLOYMENT}&limit=${count}` })
      ).json<PredictionList>();
      const found = items.filter((p) => imageIds.includes(p.imageId));
      return found.length === imageIds.length && found;
    },
    { timeoutMs: 120_000, intervalMs: 5, what: `${imageIds.length} live verdicts` },
  );
}

/** Keeps a reprocessing job of the seeded runs running until stopped; counts the images it reprocessed. */
function keepReprocessing(api: ApiClient, body: object) {
  const request = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    (await api.inject({ method, url, payload })).json<ReprocessJob>();
  let job: ReprocessJob | undefined;
  let reprocessed = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (!job || job.status === 'completed') {
        reprocessed += job?.done ?? 0;
        job = await request('POST', '/api/v1/reprocess', body);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await request('GET', `/api/v1/reprocess/${job.id}`);
    }
  })();
  return {
    started: waitFor(() => job?.status === 'running', { what: 'a running reprocessing job' }),
    async stop(): Promise<number> {
      stopped = true;
      await loop;
      // A 409 when it completed meanwhile; either way the job as it ended.
      await request('POST', `/api/v1/reprocess/${job!.id}/cancel`);
      return reprocessed + (await request('GET', `/api/v1/reprocess/${job!.id}`)).done;
    },
  };
}

async function main() {
  const rounds = Number(args.rounds);
  const bursts = Number(args.bursts);
  const seedImages = Number(args['seed-images']);
  const gapMs = Number(args['gap-ms']);
  const server = await startBenchServer('reprocess', {
    HYDRA_LOG_LEVEL: 'error',
    HYDRA_REPROCESS_WORKERS: args['reprocess-workers'],
  });
  try {
    console.log(
      `Hydra live latency under reprocessing, ${os.cpus().length} cores, small CNN on wasm, 2 workers, ` +
        `reprocessing batches of ${server.config.HYDRA_REPROCESS_BATCH_SIZE} on at most ` +
        `${server.config.HYDRA_REPROCESS_WORKERS || 'all but one'} worker(s)`,
    );
    const plotTypeIds = new Map<string, number>();
    for (const plotType of PLOT_TYPES) {
      const { id } = await createPlotType(server.api, 'none', DEPLOYMENT, plotType);
      await importSmallCnn(server.api, id);
      plotTypeIds.set(plotType, id);
    }
    const challenger = await importSmallCnn(server.api, plotTypeIds.get(REPROCESSED)!, {
      seed: 2,
      activate: false,
    });
    const runs = Math.ceil(seedImages / PER_RUN);
    const seeded: number[] = [];
    for (let i = 0; i < seedImages; i += PER_RUN) {
      const count = Math.min(PER_RUN, seedImages - i);
      const run = 1 + i / PER_RUN;
      seeded.push(
        ...(await Promise.all(Array.from({ length: count }, () => post(server.url, REPROCESSED, run)))),
      );
    }
    await verdictsOf(server.api, seeded, seedImages);
    console.log(
      `${seedImages} plots of ${REPROCESSED} in runs 1-${runs} classified live; reprocessing them with a second version`,
    );

    const latencies = { idle: [] as number[], reprocessing: [] as number[] };
    let reprocessed = 0;
    let reprocessingMs = 0;
    let liveRun = 1000;
    const burstsOfPhase = async (into: number[]) => {
      for (let b = 0; b < bursts; b++) {
        liveRun += 1;
        const ids = await Promise.all(PLOT_TYPES.map((plotType) => post(server.url, plotType, liveRun)));
        into.push(...(await verdictsOf(server.api, ids)).map((p) => p.latencyMs));
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
    };
    // The first burst warms every plot type's model in the workers and is not counted.
    await burstsOfPhase([]);
    for (let round = 0; round < rounds; round++) {
      await burstsOfPhase(latencies.idle);
      const load = keepReprocessing(server.api, {
        deployment: DEPLOYMENT,
        plotType: REPROCESSED,
        runFrom: 1,
        runTo: runs,
        modelVersionId: challenger.id,
      });
      await load.started;
      const started = performance.now();
      await burstsOfPhase(latencies.reprocessing);
      reprocessed += await load.stop();
      reprocessingMs += performance.now() - started;
      // What the cancelled job still had running ends before the next quiet round.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    const figures = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length };
    };
    const idle = figures(latencies.idle);
    const busy = figures(latencies.reprocessing);
    console.log(
      `live image-to-verdict, bursts of ${BURST} plots (${rounds} rounds of ${bursts} bursts each way, ` +
        `${gapMs} ms between a burst's verdicts and the next):`,
    );
    console.log(`  without reprocessing:        p50 ${idle.p50} ms, p99 ${idle.p99} ms (${idle.n} images)`);
    console.log(
      `  with a reprocessing job:     p50 ${busy.p50} ms, p99 ${busy.p99} ms (${busy.n} images); ` +
        `meanwhile ${reprocessed} images reprocessed, ${((reprocessed * 1000) / reprocessingMs).toFixed(1)} img/s`,
    );
    console.log(`  p99 with / without: ${(busy.p99 / idle.p99).toFixed(2)}`);
  } finally {
    await server.close();
  }
}

await main();
