import type { Kysely } from 'kysely';

// The beam state (on, off, unknown) when each verdict was made, read from EPICS: alert rules and the catalog
// tell a Bad plot with beam from one without. Rows from before this migration had no beam reading.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('prediction')
    .addColumn('beam', 'varchar(10)', (c) => c.notNull().defaultTo('unknown'))
    .execute();
}
