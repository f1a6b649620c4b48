import { sql, type Kysely } from 'kysely';

// Several replicas on one PostgreSQL: a training job is claimed like an image (owner and lease, renewed while it
// runs), and a cancel asked on one replica reaches the one that runs it through the job's row. Each replica renews
// the leases of the images it holds by owner; the partial index keeps that to the few claimed rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('training_job').addColumn('claimed_by', 'varchar(200)').execute();
  await db.schema.alterTable('training_job').addColumn('claimed_until', 'bigint').execute();
  await db.schema
    .alterTable('training_job')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('image_claimed_by')
    .on('image')
    .column('claimed_by')
    .where(sql.ref('claimed_by'), 'is not', null)
    .execute();
}
