import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// A prediction carries its image's plot type (which never changes), so the log and the predictions of a plot type
// find their rows without probing an image row for each candidate:
// - the log's (verdict, time) index of live predictions holds the plot type, so its count is read from the index
//   alone (the plot type gives the class's severity and the deployment) and a page probes only its own images;
// - the predictions of a plot type in a time range are one range of a (plot type, time) index of live predictions,
//   where PostgreSQL walked every prediction of the range (in parallel) and probed each one's image.
// Every writer sets it; the column is NOT NULL on PostgreSQL (SQLite cannot add a NOT NULL column without a default).
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema
    .alterTable('prediction')
    .addColumn('plot_type_id', 'integer', (c) => c.references('plot_type.id'))
    .execute();
  await sql`update prediction set plot_type_id = (select image.plot_type_id from image where image.id = prediction.image_id)`.execute(
    db,
  );
  if (engine === 'postgres') {
    await sql`alter table prediction alter column plot_type_id set not null`.execute(db);
  }
  await db.schema.dropIndex('prediction_verdict_created').execute();
  await db.schema
    .createIndex('prediction_verdict_created')
    .on('prediction')
    .columns(['verdict', 'created_at', 'plot_type_id', 'id', 'image_id'])
    .where(sql.ref('reprocess_job_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('prediction_plot_type_created')
    .on('prediction')
    .columns(['plot_type_id', 'created_at', 'id'])
    .where(sql.ref('reprocess_job_id'), 'is', null)
    .execute();
  if (engine === 'postgres') await sql`analyze prediction`.execute(db);
}
