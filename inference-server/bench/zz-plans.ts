import { CompiledQuery } from 'kysely';
import { Repositories } from '../src/catalog/catalog.ts';
import { connectCatalog } from '../src/catalog/connection.ts';
import { statementsOf } from './catalog/query-plans.ts';
import { catalogCases, catalogShape } from './catalog/query-cases.ts';
const url = process.argv[2]!; const only = process.argv[3];
const { db, engine } = connectCatalog(url);
const cases = catalogCases(await catalogShape(new Repositories(db, engine)));
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  console.log('=== ' + c.name);
  for (const s of await statementsOf(db, engine, c.request(3).call)) {
    console.log('SQL: ' + s.sql.slice(0, 400));
    const t = performance.now();
    const sqlText = engine === 'postgres' ? `explain (analyze, buffers off) ${s.sql}` : `explain query plan ${s.sql}`;
    const { rows } = await db.executeQuery<any>(CompiledQuery.raw(sqlText, [...s.parameters]));
    console.log(rows.map((r: any) => '   ' + (r.detail ?? r['QUERY PLAN'])).join('\n'));
    if (engine !== 'postgres') { const t0 = performance.now(); await db.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters])); console.log(`   time ${(performance.now() - t0).toFixed(1)} ms`); }
  }
}
await db.destroy();
