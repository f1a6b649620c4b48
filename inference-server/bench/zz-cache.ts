import { sql } from 'kysely';
import { Repositories } from '../src/catalog/catalog.ts';
import { connectCatalog } from '../src/catalog/connection.ts';
import { catalogCases, catalogShape } from './catalog/query-cases.ts';
import { timeRounds } from './engines.ts';
const url = process.argv[2]!;
const results: Record<string, string[]> = {};
for (const pragma of [
  'cache_size = -2000',
  'cache_size = -65536',
  'cache_size = -2000',
  'cache_size = -65536',
]) {
  const { db, engine } = connectCatalog(url);
  await sql.raw(`pragma ${pragma}`).execute(db);
  const repos = new Repositories(db, engine);
  for (const c of catalogCases(await catalogShape(repos))) {
    const { p50, p99 } = await timeRounds(30, (round) => c.request(round).call(repos));
    (results[c.name] ??= []).push(`${p50.toFixed(1)}/${p99.toFixed(1)}`);
  }
  await db.destroy();
}
for (const [k, v] of Object.entries(results)) console.log(k.padEnd(60), v.join('  '));
