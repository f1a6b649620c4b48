import { CompiledQuery } from 'kysely';
import { Repositories } from '../src/catalog/catalog.ts';
import { connectCatalog } from '../src/catalog/connection.ts';
import { statementsOf } from './catalog/query-plans.ts';
import { catalogCases, catalogShape } from './catalog/query-cases.ts';
const url = process.argv[2]!;
const only = process.argv[3];
const { db, engine } = connectCatalog(url);
const cases = catalogCases(await catalogShape(new Repositories(db, engine)));
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  console.log('=== ' + c.name);
  for (const s of await statementsOf(db, engine, c.request(3).call)) {
    const t = performance.now();
    const sqlText =
      engine === 'postgres' ? `explain (analyze, buffers off) ${s.sql}` : `explain query plan ${s.sql}`;
    const { rows } = await db.executeQuery<any>(CompiledQuery.raw(sqlText, [...s.parameters]));
    const plan = rows.map((r: any) => '   ' + (r.detail ?? r['QUERY PLAN'])).join('\n');
    let ms = 0;
    if (engine !== 'postgres') {
      const t0 = performance.now();
      await db.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters]));
      ms = performance.now() - t0;
    } else ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1]);
    if (ms > Number(process.env.MIN_MS ?? 5))
      console.log(
        `--- ${ms.toFixed(1)} ms: ${s.sql.slice(0, Number(process.env.SQL_CHARS ?? 200))}\n${plan}`,
      );
  }
}
await db.destroy();
