import type { Kysely } from 'kysely';

// A million images:
// - the runs table counts each run's images (and finds its last one) through an index;
// - the log reads the index range of each verdict that can be an entry in its time range, with the keys it joins
//   on, so it never reads the Good predictions (nine in ten) in that range; it finds each entry's plot type and run
//   in a narrow index on the image ids rather than in the image rows, where a week's entries touch every page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('image_run_captured').on('image').columns(['run_id', 'captured_at']).execute();
  await db.schema
    .createIndex('prediction_verdict_created')
    .on('prediction')
    .columns(['verdict', 'created_at', 'image_id', 'id'])
    .execute();
  await db.schema
    .createIndex('image_id_plot_type_run')
    .on('image')
    .columns(['id', 'plot_type_id', 'run_number'])
    .execute();
}
