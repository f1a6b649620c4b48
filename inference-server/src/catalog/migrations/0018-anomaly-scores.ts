import type { Kysely } from 'kysely';

// Unsupervised anomaly scores, beside the supervised verdict and never over it:
// - a plot type may have an active autoencoder besides its active classifier;
// - an autoencoder version keeps the threshold calibrated on its plot type's recent images, and the target rate;
// - a prediction keeps the active autoencoder's score of its image and whether it passed the threshold.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('plot_type')
    .addColumn('active_anomaly_version_id', 'integer', (c) => c.references('model_version.id'))
    .execute();
  for (const column of ['anomaly_threshold', 'anomaly_target_rate'] as const) {
    await db.schema.alterTable('model_version').addColumn(column, 'double precision').execute();
  }
  await db.schema.alterTable('model_version').addColumn('calibration_images', 'integer').execute();
  await db.schema
    .alterTable('prediction')
    .addColumn('anomaly_version_id', 'integer', (c) => c.references('model_version.id'))
    .execute();
  await db.schema.alterTable('prediction').addColumn('anomaly_score', 'double precision').execute();
  await db.schema.alterTable('prediction').addColumn('anomalous', 'integer').execute();
}
