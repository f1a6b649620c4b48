// Bulk inserts of classified images for the catalog benchmarks and the seed: multi-row statements, then the image
// rows' copies of their latest verdict and label, as the repositories keep them.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { SqlEngine } from '../../src/catalog/connection.ts';
import type {
  Database,
  LabelTable,
  LogAcknowledgementTable,
  NewImage,
  NewPrediction,
} from '../../src/catalog/database.ts';
import {
  refreshLabelSummaries,
  refreshPredictionSummaries,
} from '../../src/catalog/repositories/image-summaries.ts';
import { inBatches } from '../../src/catalog/repositories/statement-batches.ts';

export type BulkLabel = Omit<Insertable<LabelTable>, 'image_id' | 'replaced_label_id'>;

/** An image with its prediction (none: it failed), its labels and the acknowledgement of its log entry. */
export interface BulkImage {
  image: NewImage;
  prediction: Omit<NewPrediction, 'image_id'> | null;
  /** Oldest first: each one replaced the one before it. */
  labels: BulkLabel[];
  acknowledgement: Omit<Insertable<LogAcknowledgementTable>, 'prediction_id'> | null;
}

/**
 * Inserts the images and what belongs to them in one transaction, then fills their summary copies in a second:
 * PostgreSQL checks the foreign keys of a row updated by the transaction that inserted it again, on every update.
 * Returns the images' ids, in order.
 */
export async function storeImages(db: Kysely<Database>, rows: readonly BulkImage[]): Promise<number[]> {
  const imageIds = await db.transaction().execute((trx) => insertRows(trx, rows));
  await db.transaction().execute(async (trx) => {
    await refreshPredictionSummaries(trx, imageIds);
    await refreshLabelSummaries(
      trx,
      imageIds.filter((_, i) => rows[i]!.labels.length > 0),
    );
  });
  return imageIds;
}

async function insertRows(trx: Kysely<Database>, rows: readonly BulkImage[]): Promise<number[]> {
  const imageIds: number[] = [];
  for (const batch of inBatches(rows)) {
    const inserted = await trx
      .insertInto('image')
      .values(batch.map((row) => row.image))
      .returning('id')
      .execute();
    imageIds.push(...inserted.map((row) => row.id));
  }
  const predicted = rows.flatMap((row, i) => (row.prediction ? [{ row, imageId: imageIds[i]! }] : []));
  for (const batch of inBatches(predicted)) {
    const inserted = await trx
      .insertInto('prediction')
      .values(batch.map(({ row, imageId }) => ({ ...row.prediction!, image_id: imageId })))
      .returning('id')
      .execute();
    const acknowledgements = batch.flatMap(({ row }, i) =>
      row.acknowledgement ? [{ ...row.acknowledgement, prediction_id: inserted[i]!.id }] : [],
    );
    if (acknowledgements.length > 0)
      await trx.insertInto('log_acknowledgement').values(acknowledgements).execute();
  }
  // A label's generation is its place in its image's history: each generation points at the one before.
  const labeled = rows.flatMap((row, i) => (row.labels.length > 0 ? [{ row, imageId: imageIds[i]! }] : []));
  let previous = new Map<number, number>();
  for (let generation = 0; ; generation++) {
    const given = labeled.filter(({ row }) => row.labels.length > generation);
    if (given.length === 0) break;
    const current = new Map<number, number>();
    for (const batch of inBatches(given)) {
      const inserted = await trx
        .insertInto('label')
        .values(
          batch.map(({ row, imageId }) => ({
            ...row.labels[generation]!,
            image_id: imageId,
            replaced_label_id: previous.get(imageId) ?? null,
          })),
        )
        .returning('id')
        .execute();
      batch.forEach(({ imageId }, i) => current.set(imageId, inserted[i]!.id));
    }
    previous = current;
  }
  return imageIds;
}

/** Fresh planner statistics, and on PostgreSQL a visibility map (index-only scans), as a catalog in use has. */
export async function refreshStatistics(db: Kysely<Database>, engine: SqlEngine): Promise<void> {
  await sql`${sql.raw(engine === 'postgres' ? 'vacuum analyze' : 'analyze')}`.execute(db);
}
