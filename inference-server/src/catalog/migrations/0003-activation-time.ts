import type { Kysely } from 'kysely';

// When each version was last made active: rollback returns to the one active before the current.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('model_version').addColumn('activated_at', 'bigint').execute();
}
