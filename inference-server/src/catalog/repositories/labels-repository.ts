import { sql, type Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { inBatches } from './statement-batches.ts';
import { NotFoundError } from '../../errors.ts';
import type { LabelSort, LabelSource } from '../../enums.ts';
import type { SqlEngine } from '../connection.ts';
import type { Database, LabelBatchRow, LabelRow } from '../database.ts';
import { assertValidName } from '../../schemas/names.ts';
import { lockImages, refreshLabelSummaries } from './image-summaries.ts';
import {
  labelerCount,
  labelerPage,
  whereLabeler,
  type LabelerFilters,
  type LabelerImageRow,
  type LabelerQuery,
} from './labeler-query.ts';

export type { LabelBatchRow, LabelerImageRow, LabelerQuery, LabelRow };

/** One apply: a class for images of one plot type, by one person. */
export interface NewLabels {
  imageIds: number[];
  className: string;
  source: LabelSource;
  user: string;
  /** The client's Apply this batch is part of. */
  applyId?: string;
}

export interface LeaderboardQuery {
  from: number;
  to: number;
  deploymentId?: number;
}

export interface Leaderboard {
  people: Array<{ user: string; labels: number }>;
  /** Hours as epoch milliseconds of their start. */
  perHour: Array<{ hour: number; labels: number }>;
}

/** A current human label with the prediction the model had made for its image before it was given. */
export interface LabelAfterPrediction {
  label_id: number;
  class_name: string;
  source: LabelSource;
  labeled_at: number;
  image_id: number;
  prediction_id: number;
  verdict: string;
  model_version_id: number;
  version: number;
  model_name: string;
  plot_type: string;
  deployment: string;
}

/** An image's current label, with its file. */
export interface CurrentLabel {
  image_id: number;
  path: string;
  class_name: string;
}

const HOUR_MS = 3_600_000;

/** Human labels with their history: a newer label supersedes the current one, which stays. */
export class LabelsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  /**
   * Labels the images as one batch: their current labels are superseded, and each new label remembers the one it
   * replaced, so that undoing the batch can restore exactly what was there.
   */
  async add(
    { imageIds, className, source, user, applyId }: NewLabels,
    now = Date.now(),
  ): Promise<{ batch: LabelBatchRow; labels: LabelRow[] }> {
    assertValidName('class', className);
    const ids = [...new Set(imageIds)];
    return atomically(this.db, async (trx) => {
      const found = await lockImages(trx, this.engine, ids);
      const present = new Set(found.map((row) => row.id));
      const missing = ids.filter((id) => !present.has(id));
      if (missing.length) throw new NotFoundError(`no image with id ${missing.join(', ')}`);
      // The labeling service allows one plot type per apply.
      const batch = await trx
        .insertInto('label_batch')
        .values({
          plot_type_id: found[0]!.plot_type_id,
          user_name: user,
          class_name: className,
          source,
          count: ids.length,
          created_at: now,
          undone_at: null,
          apply_id: applyId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const labels: LabelRow[] = [];
      for (const slice of inBatches(ids)) {
        const current = await trx
          .selectFrom('label')
          .select(['id', 'image_id'])
          .where('image_id', 'in', slice)
          .where('superseded_at', 'is', null)
          .execute();
        const replaced = new Map(current.map((row) => [row.image_id, row.id]));
        await trx
          .updateTable('label')
          .set({ superseded_at: now })
          .where('image_id', 'in', slice)
          .where('superseded_at', 'is', null)
          .execute();
        const inserted = await trx
          .insertInto('label')
          .values(
            slice.map((image_id) => ({
              image_id,
              class_name: className,
              source,
              user_name: user,
              created_at: now,
              superseded_at: null,
              batch_id: batch.id,
              replaced_label_id: replaced.get(image_id) ?? null,
            })),
          )
          .returningAll()
          .execute();
        labels.push(...inserted);
        await refreshLabelSummaries(trx, slice);
      }
      return { batch, labels };
    });
  }

  /** An image's labels, newest first. */
  async history(imageId: number): Promise<LabelRow[]> {
    return this.db
      .selectFrom('label')
      .selectAll()
      .where('image_id', '=', imageId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** Images with their current label and latest verdict, for the labeler: one page. */
  labelerImages(query: LabelerQuery): Promise<LabelerImageRow[]> {
    return labelerPage(this.db, query);
  }

  /** How many images the labeler's filters match in its order. */
  labelerCount(filters: LabelerFilters & { sort: LabelSort }): Promise<number> {
    return labelerCount(this.db, filters);
  }

  /** The ids of the images the filters match, newest first, at most `limit`. */
  async matchingImageIds(filters: LabelerFilters, limit: number): Promise<number[]> {
    const rows = await whereLabeler(this.db.selectFrom('image'), filters)
      .select('image.id')
      .orderBy('image.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Labels given per person and per hour in a period, leaving out undone batches. */
  async leaderboard({ from, to, deploymentId }: LeaderboardQuery): Promise<Leaderboard> {
    let given = this.db
      .selectFrom('label')
      .leftJoin('label_batch', 'label_batch.id', 'label.batch_id')
      .where('label.created_at', '>=', from)
      .where('label.created_at', '<', to)
      .where('label_batch.undone_at', 'is', null);
    if (deploymentId !== undefined) {
      given = given
        .innerJoin('image', 'image.id', 'label.image_id')
        .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
        .where('plot_type.deployment_id', '=', deploymentId);
    }
    const labels = sql<number | string>`count(*)`.as('labels');
    const people = await given
      .select(['label.user_name', labels])
      .groupBy('label.user_name')
      .orderBy('labels', 'desc')
      .orderBy('label.user_name')
      .execute();
    // A literal, so that the select and the group-by are one expression; the cast floors on SQLite too.
    const hour = sql<number>`cast(label.created_at / ${sql.lit(HOUR_MS)} as bigint)`;
    const perHour = await given
      .select([hour.as('hour'), labels])
      .groupBy(hour)
      .orderBy(hour)
      .execute();
    return {
      people: people.map((row) => ({ user: row.user_name, labels: Number(row.labels) })),
      perHour: perHour.map((row) => ({ hour: Number(row.hour) * HOUR_MS, labels: Number(row.labels) })),
    };
  }

  /** The current labels of a plot type's images, with their files: what a model of it learns from. */
  async currentLabels(plotTypeId: number): Promise<CurrentLabel[]> {
    return this.db
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select(['image.id as image_id', 'image.path', 'label.class_name'])
      .where('image.plot_type_id', '=', plotTypeId)
      .where('label.superseded_at', 'is', null)
      .orderBy('image.id')
      .execute();
  }

  /**
   * Each current human label (not imported ones) with the prediction the model had made for its image
   * before the label was given: the pairs that measure how far experts agree with the model.
   */
  async afterPredictions(where: {
    plotTypeId?: number;
    labelIds?: number[];
  }): Promise<LabelAfterPrediction[]> {
    let query = this.db
      .selectFrom('label')
      .innerJoin('prediction', 'prediction.image_id', 'label.image_id')
      .innerJoin('model_version', 'model_version.id', 'prediction.model_version_id')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .innerJoin('image', 'image.id', 'label.image_id')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .select([
        'label.id as label_id',
        'label.class_name',
        'label.source',
        'label.created_at as labeled_at',
        'label.image_id',
        'prediction.id as prediction_id',
        'prediction.verdict',
        'prediction.model_version_id',
        'model_version.version',
        'model.name as model_name',
        'plot_type.name as plot_type',
        'deployment.name as deployment',
      ])
      .whereRef('prediction.created_at', '<=', 'label.created_at')
      // The live verdict the expert saw; a reprocessed one is compared in its job.
      .where('prediction.reprocess_job_id', 'is', null)
      .where('label.source', '!=', 'import');
    if (where.plotTypeId !== undefined) query = query.where('image.plot_type_id', '=', where.plotTypeId);
    const select = (labelIds?: number[]) =>
      (labelIds ? query.where('label.id', 'in', labelIds) : query.where('label.superseded_at', 'is', null))
        .orderBy('label.id')
        .orderBy('prediction.id')
        .execute();
    const rows = where.labelIds
      ? (await Promise.all(inBatches(where.labelIds).map(select))).flat()
      : await select();
    // Keep the newest prediction before each label.
    return [...new Map(rows.map((row) => [row.label_id, row])).values()];
  }
}
