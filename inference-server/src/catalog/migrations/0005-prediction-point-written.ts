import type { Kysely } from 'kysely';

// Whether InfluxDB acknowledged (or refused for good) a prediction's point: those it never did are sent again at
// the next start, since the catalog is the source of truth and InfluxDB is derived from it. Rows from before
// this migration were written by the writer of their time and count as written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('prediction')
    .addColumn('point_written', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('prediction_point_unwritten')
    .on('prediction')
    .columns(['point_written', 'id'])
    .execute();
}
