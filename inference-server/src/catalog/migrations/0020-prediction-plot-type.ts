import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// A prediction carries its image's plot type (which never changes), so the log and the predictions of a plot type
// find their rows without probing an image row for each candidate:
// - the log's (verdict, time) index of live predictions holds the plot type, so its count is read from the index
//   alone (the plot type gives the class's severity and the deployment) and a page probes only its own images;
// - the predictions of a plot type in a time range need no image row to be chosen; on PostgreSQL they are one range
//   of a (plot type, time) index of live predictions, where it walked every prediction of the range (in parallel)
//   and probed each one's image.
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
  // PostgreSQL only: SQLite would also read a deployment's log through it, each plot type's predictions of the
  // range whole, rather than the few non-Good ones from the log's index; it finds a plot type's predictions fast
  // enough in time order, now that the plot type is on the prediction row.
  if (engine === 'postgres') {
    await db.schema
      .createIndex('prediction_plot_type_created')
      .on('prediction')
      .columns(['plot_type_id', 'created_at', 'id'])
      .where(sql.ref('reprocess_job_id'), 'is', null)
      .execute();
  }
  await refreshStatistics(db, engine);
}

/**
 * The planners' statistics for the new column and indexes. PostgreSQL keeps statistics anyway; a SQLite catalog has
 * them only where someone ran ANALYZE, and there the old index's statistics alone made SQLite find the verdicts the
 * log probes by reading every live prediction.
 */
async function refreshStatistics(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  if (engine === 'sqlite') {
    const { rows } = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (rows.length === 0) return;
  }
  await sql`analyze prediction`.execute(db);
}
