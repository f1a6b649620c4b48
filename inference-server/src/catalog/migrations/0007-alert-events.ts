import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// Grafana alert notifications, recorded before they are answered (Grafana never sends one again), with the EPICS
// writes they plan; the dispatcher works from these rows, so a restart resumes what was pending. The signature is
// unique: a replayed notification finds its own row. alert_instance keeps the last status notified per alert
// fingerprint, so a repeated notification writes nothing.
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const id = engine === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  const table = (name: string) => db.schema.createTable(name).addColumn('id', sql`${id}` as never);

  await table('alert_event')
    .addColumn('signature', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('alerts', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'bigint')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_event_received').on('alert_event').column('received_at').execute();

  await table('alert_write')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('alert_event.id'))
    .addColumn('fingerprint', 'varchar(200)')
    .addColumn('pv', 'varchar(400)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('written_at', 'bigint')
    .execute();
  await db.schema.createIndex('alert_write_event').on('alert_write').column('event_id').execute();
  await db.schema
    .createIndex('alert_write_due')
    .on('alert_write')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('alert_write_pv').on('alert_write').columns(['pv', 'id']).execute();

  await db.schema
    .createTable('alert_instance')
    .addColumn('fingerprint', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('event_id', 'integer', (c) => c.notNull().references('alert_event.id'))
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
}
