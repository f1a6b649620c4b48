import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// The shift logbook, imported to measure how much earlier the monitor knew: each entry once per deployment (its
// content hash is its identity, so importing a file again adds nothing), found by time. The words a deployment's
// crew uses for its plot types, added to the defaults the plot-type names give.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  await db.schema
    .createTable('logbook_entry')
    .addColumn('id', sql`${id}` as never)
    .addColumn('deployment_id', 'integer', (c) => c.notNull().references('deployment.id'))
    .addColumn('written_at', 'bigint', (c) => c.notNull())
    .addColumn('author', 'varchar(200)', (c) => c.notNull())
    .addColumn('text', 'varchar(4000)', (c) => c.notNull())
    .addColumn('detector', 'varchar(100)')
    .addColumn('plot_type', 'varchar(100)')
    .addColumn('run_number', 'bigint')
    .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('imported_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('logbook_entry_content', ['deployment_id', 'content_hash'])
    .execute();
  await db.schema
    .createIndex('logbook_entry_time')
    .on('logbook_entry')
    .columns(['deployment_id', 'written_at'])
    .execute();

  await db.schema
    .createTable('logbook_term')
    .addColumn('id', sql`${id}` as never)
    .addColumn('deployment_id', 'integer', (c) => c.notNull().references('deployment.id'))
    .addColumn('term', 'varchar(100)', (c) => c.notNull())
    .addColumn('plot_type_id', 'integer', (c) => c.notNull().references('plot_type.id'))
    .addUniqueConstraint('logbook_term_key', ['deployment_id', 'term', 'plot_type_id'])
    .execute();
}
