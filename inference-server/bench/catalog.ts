// p50/p99 ms of what a user asks a million-image catalog for, through the real app (inject, with a token): the plot
// grid, predictions over a time range, the labeler's queue with filters, the log and the runs table, on SQLite and
// PostgreSQL, and this process's CPU time per request. Before timing, every statement those routes run is explained,
// and a plan that reads a big table whole stops the bench, naming the query. Goals: /plots p99 ≤ 20 ms, the others
// ≤ 100 ms.
// Run: npm run bench:catalog [-- --images 1000000 --rounds 200 --engines sqlite,postgres | --db URL]
// --db measures a catalog seeded before (npm run seed:catalog); otherwise each engine gets a fresh one, seeded
// here. PostgreSQL: HYDRA_BENCH_POSTGRES_URL (a database it may fill), else a fresh database next to the tests'.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.ts';
import { Repositories } from '../src/catalog/catalog.ts';
import { connectCatalog } from '../src/catalog/connection.ts';
import { loadConfig } from '../src/config.ts';
import { createApiToken } from '../src/plugins/app/auth.ts';
import { assertIndexed } from './catalog/query-plans.ts';
import { catalogCases, catalogShape } from './catalog/query-cases.ts';
import { describeSeed, formatCount, seedCatalog } from './catalog/seed.ts';
import { onEachEngine, timeRounds, type BenchEngine } from './engines.ts';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '200' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    db: { type: 'string' },
  },
});
const IMAGES = Number(args.images);
const ROUNDS = Number(args.rounds);
const ENGINE_NAMES: Record<string, BenchEngine> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

async function measure(engine: BenchEngine, url: string): Promise<void> {
  const { db, engine: sqlEngine } = connectCatalog(url);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-catalog-'));
  const app = await buildApp(
    loadConfig({
      HYDRA_DATA_DIR: dataDir,
      HYDRA_DATABASE_URL: url,
      HYDRA_LOG_LEVEL: 'silent',
      HYDRA_WORKERS: '1',
      HYDRA_INFLUX_SERVER_INTERVAL_MS: '0',
    }),
  );
  try {
    const cases = catalogCases(await catalogShape(new Repositories(db, sqlEngine)));
    let statements = 0;
    for (const query of cases)
      if (!process.env.SKIP_PLANS)
        statements += await assertIndexed(db, sqlEngine, query.name, query.request(0).call);
    console.log(`${engine}: the plans of all ${statements} statements read the big tables through indexes`);

    const headers = {
      authorization: `Bearer ${await createApiToken(app.catalog, 'bench-catalog', 'viewer')}`,
    };
    console.log(
      `${engine}: ${'query'.padEnd(66)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'cpu ms'.padStart(7)}  goal    total`,
    );
    for (const query of cases) {
      let total: number | undefined;
      // This process's CPU time per request (with SQLite, the database's work too): what the load does not change.
      const cpuAtStart = process.cpuUsage();
      const { p50, p99 } = await timeRounds(ROUNDS, async (round) => {
        const response = await app.inject({ url: query.request(round).url, headers });
        if (response.statusCode !== 200) {
          throw new Error(
            `${query.name}: ${response.statusCode} ${response.body} (${query.request(round).url})`,
          );
        }
        total = response.json<{ total?: number }>().total;
      });
      const { user, system } = process.cpuUsage(cpuAtStart);
      const cpuMs = (user + system) / 1000 / (ROUNDS + 1);
      const verdict = p99 <= query.goalMs ? '' : '  MISSED';
      console.log(
        `${engine}: ${query.name.padEnd(66)} ${p50.toFixed(1).padStart(7)} ${p99.toFixed(1).padStart(7)} ` +
          `${cpuMs.toFixed(1).padStart(7)}  ` +
          `≤ ${String(query.goalMs).padEnd(4)}${total === undefined ? '' : formatCount(total).padStart(9)}${verdict}`,
      );
    }
  } finally {
    await app.close();
    await db.destroy();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

if (args.db) {
  await measure(args.db.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL', args.db);
} else {
  const engines = args.engines.split(',').map((name) => {
    const engine = ENGINE_NAMES[name.trim()];
    if (!engine) throw new Error(`--engines takes sqlite and postgres, not "${name}"`);
    return engine;
  });
  await onEachEngine(
    'catalog',
    async (engine, url) => {
      const seeded = await seedCatalog(url, { images: IMAGES });
      console.log(`${engine}: seeded ${describeSeed(seeded)}`);
      await measure(engine, url);
    },
    engines,
  );
}
