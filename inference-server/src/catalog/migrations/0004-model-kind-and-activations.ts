import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// A model version has a kind (how its outputs become a verdict), and every activation is recorded.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema
    .alterTable('model_version')
    .addColumn('kind', 'varchar(20)', (c) => c.notNull().defaultTo('classifier'))
    .execute();
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  await db.schema
    .createTable('activation')
    .addColumn('id', sql`${id}` as never)
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addColumn('from_version_id', 'integer', (c) => c.references('model_version.id'))
    .addColumn('to_version_id', 'integer', (c) => c.notNull().references('model_version.id'))
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activation_plot_type').on('activation').column('plot_type_id').execute();
}
