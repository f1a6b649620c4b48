// What the catalog benchmarks share: a fresh catalog on each engine, and percentiles of repeated calls.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase } from '../test/helpers/services.ts';

export type BenchEngine = 'SQLite' | 'PostgreSQL';

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** p50 and p99 milliseconds of `rounds` calls (the round's number is the call's argument), after one warm call. */
export async function timeRounds(
  rounds: number,
  call: (round: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  await call(0);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await call(round);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/**
 * Runs `measure` on a fresh SQLite file in a temp folder, then on PostgreSQL: `HYDRA_BENCH_POSTGRES_URL` (a database
 * it may fill), else a fresh database next to the tests'. Each catalog is removed afterwards; a PostgreSQL that
 * cannot be reached is reported, not fatal.
 */
export async function onEachEngine(
  name: string,
  measure: (engine: BenchEngine, url: string) => Promise<void>,
  engines: readonly BenchEngine[] = ['SQLite', 'PostgreSQL'],
): Promise<void> {
  if (engines.includes('SQLite')) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `hydra-bench-${name}-`));
    try {
      await measure('SQLite', `sqlite:${path.join(dir, 'bench.sqlite')}`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  if (engines.includes('PostgreSQL')) {
    let database: { url: string; drop: () => Promise<void> };
    try {
      const given = process.env.HYDRA_BENCH_POSTGRES_URL;
      database = given ? { url: given, drop: async () => undefined } : await createPostgresDatabase();
    } catch (error) {
      console.log(`PostgreSQL: not measured (${(error as Error).message})`);
      return;
    }
    try {
      await measure('PostgreSQL', database.url);
    } finally {
      await database.drop();
    }
  }
}
