import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// Labels and references keep their history: a newer row supersedes, the older one stays.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  const table = (name: string) => db.schema.createTable(name).addColumn('id', sql`${id}` as never);

  await table('label')
    .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
    .addColumn('class_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('user_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .execute();
  await db.schema.createIndex('label_image').on('label').columns(['image_id', 'superseded_at']).execute();
  await db.schema.createIndex('label_created').on('label').column('created_at').execute();

  await table('reference')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
    .addColumn('set_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .execute();
  await db.schema.createIndex('reference_plot_type').on('reference').column('plot_type_id').execute();

  await table('training_job')
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('architecture', 'varchar(50)', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('split', 'text')
    .addColumn('progress', 'text')
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('model_version_id', 'integer', (c) => c.references('model_version.id'))
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
}
