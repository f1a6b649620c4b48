// The Runs table (GET /runs/summary: the newest 50 runs of a hall, then older windows of 50) and the Summary (GET
// /summary: every hall, then one) over a catalog filled by seed:catalog, p50/p99 ms on SQLite and PostgreSQL, through
// the same service and repositories as the routes. Goal: p99 ≤ 200 ms at 1,000,000 images.
// Run: npm run bench:summary [-- --images 1000000 --rounds 100 --explain]
// --db sqlite:PATH|postgres://... measures a catalog seeded before (npm run seed:catalog) instead of seeding one.
// PostgreSQL: HYDRA_BENCH_POSTGRES_URL (a database it may fill), else a fresh database next to the tests'.
import { parseArgs } from 'node:util';
import { CompiledQuery, type Kysely } from 'kysely';
import { Repositories } from '../src/catalog/catalog.ts';
import { connectCatalog, type SqlEngine } from '../src/catalog/connection.ts';
import type { Database } from '../src/catalog/database.ts';
import { migrateToLatest } from '../src/catalog/migrations/index.ts';
import { deploymentSummaries, runsSummary } from '../src/runs/run-summaries.ts';
import { seedCatalog } from './catalog/seed.ts';
import { refreshStatistics } from './catalog/store-images.ts';
import { onEachEngine, timeRounds, type BenchEngine } from './engines.ts';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '100' },
    db: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
});
const IMAGES = Number(args.images);
const ROUNDS = Number(args.rounds);
const RUNS_PER_PAGE = 50;

/** Repositories whose statements are also collected, for EXPLAIN. */
function recording(db: Kysely<Database>, engine: SqlEngine) {
  const statements: CompiledQuery[] = [];
  const recorded = db.withPlugin({
    transformQuery: ({ node, queryId }) => {
      statements.push(db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return { repositories: new Repositories(recorded, engine), statements };
}

async function explain(db: Kysely<Database>, engine: SqlEngine, statements: CompiledQuery[]) {
  const prefix = engine === 'postgres' ? 'explain ' : 'explain query plan ';
  for (const statement of statements) {
    console.log(`\n  ${statement.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    const { rows } = await db.executeQuery(
      CompiledQuery.raw(prefix + statement.sql, [...statement.parameters]),
    );
    for (const row of rows as Array<Record<string, unknown>>)
      console.log(`    ${String(row['QUERY PLAN'] ?? row.detail)}`);
  }
}

async function measure(engine: BenchEngine, url: string) {
  if (!args.db) {
    const seeded = await seedCatalog(url, { images: IMAGES });
    console.log(
      `${engine}: ${seeded.images.toLocaleString('en-US')} images seeded in ${seeded.seconds.toFixed(0)} s`,
    );
  }
  const { db, engine: sqlEngine } = connectCatalog(url);
  try {
    if (args.db) {
      await migrateToLatest(db as Kysely<unknown>, sqlEngine);
      await refreshStatistics(db, sqlEngine);
    }
    const { repositories, statements } = recording(db, sqlEngine);
    const { count } = await db
      .selectFrom('image')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    const halls = (await repositories.deployments.list()).map((deployment) => deployment.name);
    const runCounts = await Promise.all(
      halls.map(async (name) =>
        (await repositories.runs.list((await repositories.deployments.require(name)).id, 100_000, 0)).map(
          (run) => run.number,
        ),
      ),
    );
    console.log(
      `${engine}: ${Number(count).toLocaleString('en-US')} images, ${halls.length} deployments, ${runCounts.flat().length} runs`,
    );

    // Round r: hall r mod n, the r-th window of 50 runs from the newest (pages 0..4 in turn).
    const runs = await timeRounds(ROUNDS, (round) => {
      const hall = round % halls.length;
      const numbers = runCounts[hall]!;
      const page = Math.floor(round / halls.length) % 5;
      const toRun = numbers[Math.min(numbers.length - 1, page * RUNS_PER_PAGE)];
      return runsSummary(repositories, { deployment: halls[hall]!, toRun, limit: RUNS_PER_PAGE });
    });
    const all = await timeRounds(ROUNDS, () => deploymentSummaries(repositories, undefined));
    const one = await timeRounds(ROUNDS, (round) =>
      deploymentSummaries(repositories, halls[round % halls.length]),
    );
    const line = (name: string, { p50, p99 }: { p50: number; p99: number }) =>
      console.log(
        `${engine}: ${name.padEnd(36)} p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms`,
      );
    line('GET /runs/summary (50 runs)', runs);
    line('GET /summary (every deployment)', all);
    line('GET /summary?deployment=…', one);

    if (args.explain) {
      for (const [name, call] of [
        ['runs summary', () => runsSummary(repositories, { deployment: halls[0]!, limit: RUNS_PER_PAGE })],
        ['summary', () => deploymentSummaries(repositories, undefined)],
      ] as const) {
        statements.length = 0;
        await call();
        console.log(`\n${engine}: plans of the ${name}`);
        await explain(db, sqlEngine, [...statements]);
      }
    }
  } finally {
    await db.destroy();
  }
}

if (args.db) {
  await measure(args.db.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL', args.db);
} else {
  await onEachEngine('summary', measure);
}
