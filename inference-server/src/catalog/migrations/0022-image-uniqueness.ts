import type { Kysely } from 'kysely';

// The labeler's "most unique" order: how unlike the other images of its plot type an image looked at its plot type's
// latest clustering (a percentile, 1 the most unique), copied onto the image row like the other scores it sorts by,
// with an index for its order (plot type, score, id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('image').addColumn('uniqueness', 'double precision').execute();
  await db.schema
    .createIndex('image_plot_type_uniqueness')
    .on('image')
    .columns(['plot_type_id', 'uniqueness', 'id'])
    .execute();
}
