import type { Kysely } from 'kysely';
import type { SqlEngine } from '../connection.ts';
import type { Database } from '../database.ts';
import { inBatches } from './statement-batches.ts';

// The image row's copies of its latest verdict and current label (migration 0008), which the labeler sorts and
// filters by. Every write to labels or predictions refreshes them in its own transaction.

/**
 * Locks the images' rows until the transaction ends, on PostgreSQL (SQLite runs one writer at a time): applies and
 * undos of the same images then run one after the other, each reading the labels the other left.
 */
export async function lockImages(
  db: Kysely<Database>,
  engine: SqlEngine,
  imageIds: readonly number[],
): Promise<Array<{ id: number; plot_type_id: number }>> {
  const rows: Array<{ id: number; plot_type_id: number }> = [];
  // In id order, so that two transactions never wait on each other's rows in a circle.
  for (const batch of inBatches([...new Set(imageIds)].sort((a, b) => a - b))) {
    const query = db
      .selectFrom('image')
      .select(['id', 'plot_type_id'])
      .where('id', 'in', batch)
      .orderBy('id');
    rows.push(...(await (engine === 'postgres' ? query.forUpdate() : query).execute()));
  }
  return rows;
}

/** Copies the current label's class, then the mistakenness it implies. */
export async function refreshLabelSummaries(
  db: Kysely<Database>,
  imageIds: readonly number[],
): Promise<void> {
  for (const batch of inBatches([...new Set(imageIds)])) {
    await db
      .updateTable('image')
      .set((eb) => ({
        label_class: eb
          .selectFrom('label')
          .select('label.class_name')
          .whereRef('label.image_id', '=', 'image.id')
          .where('label.superseded_at', 'is', null)
          .orderBy('label.id', 'desc')
          .limit(1),
      }))
      .where('id', 'in', batch)
      .execute();
    await refreshMistakenness(db, batch);
  }
}

/** Copies the latest live prediction's verdict and scores, then the mistakenness they imply. */
export async function refreshPredictionSummaries(
  db: Kysely<Database>,
  imageIds: readonly number[],
): Promise<void> {
  for (const batch of inBatches([...new Set(imageIds)])) {
    await db
      .updateTable('image')
      .set((eb) => ({
        latest_prediction_id: eb
          .selectFrom('prediction')
          .select((p) => p.fn.max('prediction.id').as('id'))
          .whereRef('prediction.image_id', '=', 'image.id')
          // A reprocessed verdict is never an image's latest: the live one stays.
          .where('prediction.reprocess_job_id', 'is', null),
      }))
      .where('id', 'in', batch)
      .execute();
    await db
      .updateTable('image')
      .set((eb) => {
        const latest = eb
          .selectFrom('prediction')
          .whereRef('prediction.id', '=', 'image.latest_prediction_id');
        return {
          verdict: latest.select('prediction.verdict'),
          confidence: latest.select('prediction.confidence'),
          margin: latest.select('prediction.margin'),
          entropy: latest.select('prediction.entropy'),
        };
      })
      .where('id', 'in', batch)
      .execute();
    await refreshMistakenness(db, batch);
  }
}

/** FiftyOne's mistakenness for a labeled image: how confident the model is in a verdict that differs from it. */
async function refreshMistakenness(db: Kysely<Database>, imageIds: number[]): Promise<void> {
  await db
    .updateTable('image')
    .set((eb) => ({
      mistakenness: eb
        .case()
        .when(
          eb.and([
            eb('label_class', 'is not', null),
            eb('verdict', 'is not', null),
            eb('label_class', '!=', eb.ref('verdict')),
          ]),
        )
        .then(eb.ref('confidence'))
        .else(null)
        .end(),
    }))
    .where('id', 'in', imageIds)
    .execute();
}
