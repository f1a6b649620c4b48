import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// The Runs table and the Summary page aggregate a million images in a few indexed scans (npm run bench:summary):
// - a run's cells group its images by plot type with their verdicts, times and ids, from the index alone;
// - the runs with a Bad image are found from the few images of each Bad class;
// - the overrides of a run's images start from the few override labels;
// - image counts per plot type and UTC day are kept by triggers, so totals and the heat map add up a few hundred
//   rows instead of counting every image.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema
    .createIndex('image_run_plot_type')
    .on('image')
    .columns(['run_id', 'plot_type_id', 'verdict', 'captured_at', 'id'])
    .execute();
  await db.schema
    .createIndex('image_plot_type_verdict_run')
    .on('image')
    .columns(['plot_type_id', 'verdict', 'run_id'])
    .execute();
  await db.schema.createIndex('label_source_image').on('label').columns(['source', 'image_id']).execute();

  await db.schema
    .createTable('image_day_count')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('images', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_day_count_key', ['plot_type_id', 'day'])
    .execute();
  await sql`insert into image_day_count (plot_type_id, day, images)
    select plot_type_id, captured_at / 86400000, count(*) from image group by plot_type_id, captured_at / 86400000`.execute(
    db,
  );
  if (engine === 'postgres') await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** Per statement, from its transition table: a bulk insert updates each plot type's day once. */
async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  for (const [change, table, sign] of [
    ['insert', 'inserted', '+'],
    ['delete', 'deleted', '-'],
  ] as const) {
    await sql
      .raw(
        `create function image_day_count_${change}() returns trigger language plpgsql as $$
        begin
          insert into image_day_count (plot_type_id, day, images)
            select plot_type_id, captured_at / 86400000, ${sign}count(*) from ${table}
            group by plot_type_id, captured_at / 86400000
            on conflict (plot_type_id, day) do update set images = image_day_count.images + excluded.images;
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger image_day_count_${change} after ${change} on image
          referencing ${change === 'insert' ? 'new' : 'old'} table as ${table}
          for each statement execute function image_day_count_${change}()`,
      )
      .execute(db);
  }
}

/** SQLite has row triggers only. */
async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  for (const [change, row, sign] of [
    ['insert', 'new', '+'],
    ['delete', 'old', '-'],
  ] as const) {
    await sql
      .raw(
        `create trigger image_day_count_${change} after ${change} on image begin
          insert into image_day_count (plot_type_id, day, images)
            values (${row}.plot_type_id, ${row}.captured_at / 86400000, ${sign}1)
            on conflict (plot_type_id, day) do update set images = images + excluded.images;
        end`,
      )
      .execute(db);
  }
}
