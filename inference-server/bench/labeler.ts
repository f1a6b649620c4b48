// The labeler's queue over 100,000 images of one plot type, per sort order, p50/p99 ms on SQLite and PostgreSQL:
// a page of 100 (the first ten pages in turn, and ten pages spread over the whole queue, as a dragged scrollbar asks
// for them), and the count of all matches, which a client asks for once per filter (GET /labels/count), not with
// every page. The rows go in with straight SQL in bulk; the queries are the labels repository's. Goal: p99 ≤ 50 ms.
// Run: npm run bench:labeler [-- --images 100000 --rounds 200]
// PostgreSQL: HYDRA_BENCH_POSTGRES_URL (a database it may fill), else a fresh database next to the tests'.
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { Catalog } from '../src/catalog/catalog.ts';
import { connectCatalog } from '../src/catalog/connection.ts';
import type { Database } from '../src/catalog/database.ts';
import { inBatches } from '../src/catalog/repositories/statement-batches.ts';
import { LABEL_SORTS, type LabelFilter, type LabelSort } from '../src/enums.ts';
import { uncertaintyOf } from '../src/labels/uncertainty.ts';
import { refreshStatistics, storeImages, type BulkImage } from './catalog/store-images.ts';
import { onEachEngine, timeRounds, type BenchEngine } from './engines.ts';

const { values: args } = parseArgs({
  options: { images: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '200' } },
});
const IMAGES = Number(args.images);
const ROUNDS = Number(args.rounds);
const CLASSES = ['Good', 'Bad', 'NoData'];
const PAGE = 100;

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** 100,000 classified images of one plot type, a third of them labeled, the copies on the image row as stored. */
async function fill(catalog: Catalog, db: Kysely<Database>): Promise<number> {
  await catalog.migrate();
  const deployment = await catalog.deployments.ensure('bench');
  const plotType = await catalog.plotTypes.ensure(deployment.id, 'CDC_occupancy');
  const version = await catalog.models.createVersion({
    plotTypeId: plotType.id,
    name: 'bench',
    architecture: 'small-cnn',
    kind: 'classifier',
    inputShape: [64, 64, 1],
    classes: CLASSES,
    thresholds: {},
    artifactPath: 'models/bench',
  });
  const runIds = new Map<number, number>();
  for (let run = 1; run <= Math.ceil(IMAGES / 100); run++) {
    runIds.set(run, await catalog.runs.ensure(deployment.id, run, run * 1000));
  }
  const next = random(42);
  const now = Date.now();
  for (const slice of inBatches(Array.from({ length: IMAGES }, (_, i) => i))) {
    const rows = slice.map((n): BulkImage => {
      const raw = CLASSES.map(() => next() ** 3);
      const sum = raw.reduce((a, b) => a + b, 0);
      const scores = Object.fromEntries(CLASSES.map((c, i) => [c, raw[i]! / sum]));
      const [verdict, confidence] = Object.entries(scores).sort((a, b) => b[1] - a[1])[0]!;
      const label = next() < 1 / 3 ? CLASSES[Math.floor(next() * CLASSES.length)]! : null;
      const run = Math.floor(n / 100) + 1;
      return {
        image: {
          sha256: n.toString(16).padStart(64, '0'),
          dedup_key: `bench:${n}`,
          plot_type_id: plotType.id,
          run_id: runIds.get(run)!,
          run_number: run,
          chunk: null,
          captured_at: now - (IMAGES - n) * 1000,
          received_at: now,
          path: `images/${n}.png`,
          format: 'png',
          bytes: 1000,
          width: 800,
          height: 600,
          status: 'classified',
          error: null,
          claimed_by: null,
          claimed_until: null,
        },
        prediction: {
          plot_type_id: plotType.id,
          model_version_id: version.id,
          probabilities: JSON.stringify(scores),
          verdict,
          confidence,
          ...uncertaintyOf(scores),
          confirmed: 1,
          latency_ms: 10,
          inference_ms: 2,
          created_at: now,
          point_written: 1,
        },
        labels:
          label === null
            ? []
            : [
                {
                  class_name: label,
                  source: 'labeler',
                  user_name: 'bench',
                  created_at: now,
                  superseded_at: null,
                },
              ],
        acknowledgement: null,
      };
    });
    await storeImages(db, rows);
  }
  await refreshStatistics(db, catalog.engine);
  return plotType.id;
}

/** p50 and p99 ms of ROUNDS calls, after one to warm up. */
async function timed(call: (round: number) => Promise<unknown>): Promise<string> {
  const { p50, p99 } = await timeRounds(ROUNDS, call);
  return `p50 ${p50.toFixed(1).padStart(5)} / p99 ${p99.toFixed(1).padStart(5)}`;
}

async function measure(engine: BenchEngine, url: string) {
  const catalog = Catalog.open(url);
  const { db } = connectCatalog(url);
  try {
    const started = performance.now();
    const plotTypeId = await fill(catalog, db);
    console.log(
      `${engine}: ${IMAGES} images stored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const cases: Array<{ sort: LabelSort; filter: LabelFilter }> = [
      ...LABEL_SORTS.map((sort) => ({ sort, filter: 'all' as const })),
      { sort: 'least-confident', filter: 'unlabeled' },
    ];
    for (const { sort, filter } of cases) {
      const order = { plotTypeId, sort, filter };
      const total = await catalog.labels.labelerCount(order); // warm
      const stride = Math.max(PAGE, Math.floor(total / 10 / PAGE) * PAGE);
      const firstPages = await timed((round) =>
        catalog.labels.labelerImages({ ...order, limit: PAGE, offset: (round % 10) * PAGE }),
      );
      const spread = await timed((round) =>
        catalog.labels.labelerImages({ ...order, limit: PAGE, offset: (round % 10) * stride }),
      );
      const counts = await timed(() => catalog.labels.labelerCount(order));
      console.log(
        `${engine}: sort=${sort.padEnd(15)} filter=${filter.padEnd(9)} total ${String(total).padStart(6)}  ` +
          `pages 1-10 ${firstPages}  pages across ${spread}  count ${counts}`,
      );
    }
  } finally {
    await db.destroy();
    await catalog.close();
  }
}

await onEachEngine('labeler', measure);
