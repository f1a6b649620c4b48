import type { Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';

// A trained version keeps each validation and test image's class probabilities, so the Library can list the images
// of a confusion-matrix cell, recompute metrics under new thresholds, and compare versions on the images they share,
// without running the model again. Imported versions have none.
export async function up(db: Kysely<unknown>, _engine: SqlEngine): Promise<void> {
  await db.schema
    .createTable('split_prediction')
    .addColumn('model_version_id', 'integer', (c) => c.notNull().references('model_version.id'))
    .addColumn('split', 'varchar(20)', (c) => c.notNull())
    .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
    .addColumn('true_class', 'varchar(100)', (c) => c.notNull())
    .addColumn('probabilities', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('split_prediction_pk', ['model_version_id', 'split', 'image_id'])
    .execute();
  // A confusion-matrix cell is one version's split filtered by true class.
  await db.schema
    .createIndex('split_prediction_true_class')
    .on('split_prediction')
    .columns(['model_version_id', 'split', 'true_class'])
    .execute();
}
