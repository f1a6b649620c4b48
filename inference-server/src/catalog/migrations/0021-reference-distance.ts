import type { Kysely } from 'kysely';

// The distance of a plot from its plot type's current reference, beside the verdict and never over it:
// - a plot type may have an active Siamese encoder, whose embeddings the distance compares (none: the plain pixel
//   distance); its version keeps its calibrated threshold in the columns an autoencoder's uses;
// - a prediction keeps the reference it was measured against (a new reference measures the next ones), the encoder
//   (null: pixels), the distance and whether it passed the encoder's threshold (null: no threshold).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('plot_type')
    .addColumn('active_siamese_version_id', 'integer', (c) => c.references('model_version.id'))
    .execute();
  await db.schema
    .alterTable('prediction')
    .addColumn('reference_image_id', 'integer', (c) => c.references('image.id'))
    .execute();
  await db.schema
    .alterTable('prediction')
    .addColumn('reference_version_id', 'integer', (c) => c.references('model_version.id'))
    .execute();
  await db.schema.alterTable('prediction').addColumn('reference_distance', 'double precision').execute();
  await db.schema.alterTable('prediction').addColumn('reference_anomalous', 'integer').execute();
}
