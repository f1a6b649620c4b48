import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Database, LabelBatchRow } from '../database.ts';
import type { SqlEngine } from '../connection.ts';
import { lockImages, refreshLabelSummaries } from './image-summaries.ts';
import { inBatches } from './statement-batches.ts';

/** A batch with its plot type's name. */
export interface LabelBatch extends LabelBatchRow {
  plot_type: string;
}

/**
 * Applies of the labeler, undoable as a whole: undo supersedes the batch's labels and makes current again the
 * ones they replaced (an image unlabeled before is unlabeled again); redo reverses that. Either refuses, with a
 * conflict, when a later label got in between.
 */
export class LabelBatchesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  private withPlotType(db: Kysely<Database> = this.db) {
    return db
      .selectFrom('label_batch')
      .innerJoin('plot_type', 'plot_type.id', 'label_batch.plot_type_id')
      .selectAll('label_batch')
      .select('plot_type.name as plot_type');
  }

  async get(id: number, db: Kysely<Database> = this.db): Promise<LabelBatch> {
    const row = await this.withPlotType(db).where('label_batch.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`label batch ${id} does not exist`);
    return row;
  }

  /** The batch with its deployment's name and up to `limit` of its images: what a live `label` event tells. */
  async withImages(
    id: number,
    limit: number,
  ): Promise<LabelBatch & { deployment: string; image_ids: number[] }> {
    const batch = await this.withPlotType()
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .select('deployment.name as deployment')
      .where('label_batch.id', '=', id)
      .executeTakeFirst();
    if (!batch) throw new NotFoundError(`label batch ${id} does not exist`);
    const images = await this.db
      .selectFrom('label')
      .select('image_id')
      .where('batch_id', '=', id)
      .orderBy('id')
      .limit(limit)
      .execute();
    return { ...batch, image_ids: images.map((image) => image.image_id) };
  }

  /** Newest first. */
  async list(where: { user?: string; limit: number }): Promise<LabelBatch[]> {
    let query = this.withPlotType();
    if (where.user !== undefined) query = query.where('label_batch.user_name', '=', where.user);
    return query.orderBy('label_batch.id', 'desc').limit(where.limit).execute();
  }

  /** Undoes the batch; `authorize` sees it first (inside the transaction) and may refuse. */
  async undo(id: number, authorize: (batch: LabelBatch) => void, now = Date.now()): Promise<LabelBatch> {
    return atomically(this.db, async (trx) => {
      const batch = await this.get(id, trx);
      authorize(batch);
      if (batch.undone_at !== null) throw new ConflictError(`label batch ${id} is already undone`);
      const labels = await this.labelsOf(trx, id);
      const relabeled = labels.filter((label) => label.superseded_at !== null).length;
      if (relabeled > 0) {
        throw new ConflictError(
          `${relabeled} of the ${labels.length} images of label batch ${id} were labeled again since: ` +
            'undo the later labels first',
        );
      }
      await trx.updateTable('label').set({ superseded_at: now }).where('batch_id', '=', id).execute();
      const restored = labels.flatMap((label) =>
        label.replaced_label_id === null ? [] : [label.replaced_label_id],
      );
      for (const slice of inBatches(restored)) {
        await trx.updateTable('label').set({ superseded_at: null }).where('id', 'in', slice).execute();
      }
      await refreshLabelSummaries(
        trx,
        labels.map((label) => label.image_id),
      );
      await trx.updateTable('label_batch').set({ undone_at: now }).where('id', '=', id).execute();
      return { ...batch, undone_at: now };
    });
  }

  /** Re-applies an undone batch, if each of its images still has the label the undo restored (or none). */
  async redo(id: number, authorize: (batch: LabelBatch) => void, now = Date.now()): Promise<LabelBatch> {
    return atomically(this.db, async (trx) => {
      const batch = await this.get(id, trx);
      authorize(batch);
      if (batch.undone_at === null)
        throw new ConflictError(`label batch ${id} is not undone: nothing to redo`);
      const labels = await this.labelsOf(trx, id);
      const imageIds = labels.map((label) => label.image_id);
      const current = new Map<number, number>();
      for (const slice of inBatches(imageIds)) {
        const rows = await trx
          .selectFrom('label')
          .select(['id', 'image_id'])
          .where('image_id', 'in', slice)
          .where('superseded_at', 'is', null)
          .execute();
        for (const row of rows) current.set(row.image_id, row.id);
      }
      const relabeled = labels.filter(
        (label) => (current.get(label.image_id) ?? null) !== label.replaced_label_id,
      );
      if (relabeled.length > 0) {
        throw new ConflictError(
          `${relabeled.length} of the ${labels.length} images of label batch ${id} were labeled again since ` +
            'the undo: redo would overwrite those labels',
        );
      }
      for (const slice of inBatches([...current.values()])) {
        await trx.updateTable('label').set({ superseded_at: now }).where('id', 'in', slice).execute();
      }
      await trx.updateTable('label').set({ superseded_at: null }).where('batch_id', '=', id).execute();
      await refreshLabelSummaries(trx, imageIds);
      await trx.updateTable('label_batch').set({ undone_at: null }).where('id', '=', id).execute();
      return { ...batch, undone_at: null };
    });
  }

  /** The batch's labels, read after locking their images (a label given meanwhile is seen). */
  private async labelsOf(db: Kysely<Database>, batchId: number) {
    const query = db
      .selectFrom('label')
      .select(['id', 'image_id', 'superseded_at', 'replaced_label_id'])
      .where('batch_id', '=', batchId)
      .orderBy('id');
    await lockImages(
      db,
      this.engine,
      (await query.execute()).map((label) => label.image_id),
    );
    return query.execute();
  }
}
