import { sql, type Kysely } from 'kysely';

// A Grafana proxy token speaks for the Grafana users behind the app's proxy route, so that labels, batches,
// acknowledgements and news carry the person's login (X-Grafana-User), not the token's name. A label batch
// remembers the Labeler Apply it came with (one Apply writes a batch per class), so that the undo stack a page
// rebuilds after a reload undoes whole Applies. The active-learning queue proper (unlabeled, least confident
// first) gets an index of its own, so that a page deep in it is read from the index alone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('grafana_proxy', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('label_batch').addColumn('apply_id', 'varchar(64)').execute();
  await db.schema
    .createIndex('image_plot_type_unlabeled_confidence')
    .on('image')
    .columns(['plot_type_id', 'confidence', 'id'])
    .where(sql.ref('label_class'), 'is', null)
    .execute();
}
