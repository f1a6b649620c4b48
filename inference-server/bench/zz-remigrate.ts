import { sql } from 'kysely';
import { connectCatalog } from '/work/wt-catalog-scale/inference-server/src/catalog/connection.ts';
import { migrateToLatest } from '/work/wt-catalog-scale/inference-server/src/catalog/migrations/index.ts';
const { db, engine } = connectCatalog(process.argv[2]!);
const t = performance.now();
await sql`delete from kysely_migration where name = '0012-catalog-scale'`.execute(db);
for (const name of [
  'image_run_captured',
  'prediction_created_verdict',
  'prediction_verdict_created',
  'image_id_plot_type_run',
])
  await sql`drop index if exists ${sql.id(name)}`.execute(db);
await sql`create index if not exists prediction_created on prediction (created_at)`.execute(db);
console.log(await migrateToLatest(db, engine), ((performance.now() - t) / 1000).toFixed(1), 's');
await sql`analyze`.execute(db);
await db.destroy();
