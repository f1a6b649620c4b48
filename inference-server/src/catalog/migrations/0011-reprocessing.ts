import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// Offline reprocessing: a job runs a model version over a plot type's images of a run or time range, behind the
// live queue. Its items are the queue (claimed with a lease, as images are), so a restart resumes the job. Its
// predictions carry the job's id: they never become an image's latest verdict, nor reach InfluxDB, EPICS or the
// live grid.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  const table = (name: string) => db.schema.createTable(name).addColumn('id', sql`${id}` as never);

  await table('reprocess_job')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('model_version_id', 'integer', (c) => c.notNull().references('model_version.id'))
    .addColumn('run_from', 'bigint')
    .addColumn('run_to', 'bigint')
    .addColumn('time_from', 'bigint')
    .addColumn('time_to', 'bigint')
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('cancelled_by', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();

  await table('reprocess_item')
    .addColumn('job_id', 'integer', (c) => c.notNull().references('reprocess_job.id'))
    .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(200)')
    .addColumn('claimed_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  // One item per image and job; the claim scans a job's pending items in order.
  await db.schema
    .createIndex('reprocess_item_job_image')
    .on('reprocess_item')
    .columns(['job_id', 'image_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('reprocess_item_claimable')
    .on('reprocess_item')
    .columns(['status', 'job_id', 'id'])
    .execute();

  await db.schema
    .alterTable('prediction')
    .addColumn('reprocess_job_id', 'integer', (c) => c.references('reprocess_job.id'))
    .execute();
  // A job's predictions, image by image, for its comparison with the live verdicts.
  await db.schema
    .createIndex('prediction_reprocess_job')
    .on('prediction')
    .columns(['reprocess_job_id', 'image_id'])
    .execute();
}
