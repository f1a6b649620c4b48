import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import { inBatches } from './statement-batches.ts';
import { NotFoundError } from '../../errors.ts';
import type { LabelFilter, LabelSource } from '../../enums.ts';
import type { Database, LabelRow } from '../database.ts';
import { assertValidName } from '../../schemas/names.ts';

export type { LabelRow };

export interface LabelerQuery {
  plotTypeId?: number;
  runFrom?: number;
  runTo?: number;
  from?: number;
  to?: number;
  filter: LabelFilter;
  limit: number;
  offset: number;
}

/** An image as the labeler shows it: its current label and latest verdict. */
export interface LabelerImageRow {
  image_id: number;
  plot_type_id: number;
  plot_type: string;
  run_number: number | null;
  captured_at: number;
  status: string;
  label_id: number | null;
  label_class: string | null;
  label_source: LabelSource | null;
  label_user: string | null;
  label_created_at: number | null;
  verdict: string | null;
  confidence: number | null;
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

/** Human labels with their history: a newer label supersedes the current one, which stays. */
export class LabelsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(
    imageIds: number[],
    className: string,
    source: LabelSource,
    user: string,
    now = Date.now(),
  ): Promise<LabelRow[]> {
    assertValidName('class', className);
    return atomically(this.db, async (trx) => {
      const labels: LabelRow[] = [];
      for (const batch of inBatches([...new Set(imageIds)])) {
        const found = await trx.selectFrom('image').select('id').where('id', 'in', batch).execute();
        const present = new Set(found.map((row) => row.id));
        const missing = batch.filter((id) => !present.has(id));
        if (missing.length) throw new NotFoundError(`no image with id ${missing.join(', ')}`);
        await trx
          .updateTable('label')
          .set({ superseded_at: now })
          .where('image_id', 'in', batch)
          .where('superseded_at', 'is', null)
          .execute();
        const inserted = await trx
          .insertInto('label')
          .values(
            batch.map((image_id) => ({
              image_id,
              class_name: className,
              source,
              user_name: user,
              created_at: now,
              superseded_at: null,
            })),
          )
          .returningAll()
          .execute();
        labels.push(...inserted);
      }
      return labels;
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

  /** Images with their current label and latest verdict, for the labeler. */
  async labelerImages(query: LabelerQuery): Promise<LabelerImageRow[]> {
    const latestPrediction = this.db
      .selectFrom('prediction')
      .select(['image_id', (eb) => eb.fn.max('id').as('prediction_id')])
      .groupBy('image_id')
      .as('latest');
    let rows = this.db
      .selectFrom('image')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .leftJoin('run', 'run.id', 'image.run_id')
      .leftJoin('label', (join) =>
        join.onRef('label.image_id', '=', 'image.id').on('label.superseded_at', 'is', null),
      )
      .leftJoin(latestPrediction, 'latest.image_id', 'image.id')
      .leftJoin('prediction', 'prediction.id', 'latest.prediction_id')
      .select([
        'image.id as image_id',
        'image.plot_type_id',
        'plot_type.name as plot_type',
        'run.number as run_number',
        'image.captured_at',
        'image.status',
        'label.id as label_id',
        'label.class_name as label_class',
        'label.source as label_source',
        'label.user_name as label_user',
        'label.created_at as label_created_at',
        'prediction.verdict',
        'prediction.confidence',
      ]);
    if (query.plotTypeId !== undefined) rows = rows.where('image.plot_type_id', '=', query.plotTypeId);
    if (query.runFrom !== undefined) rows = rows.where('run.number', '>=', query.runFrom);
    if (query.runTo !== undefined) rows = rows.where('run.number', '<=', query.runTo);
    if (query.from !== undefined) rows = rows.where('image.captured_at', '>=', query.from);
    if (query.to !== undefined) rows = rows.where('image.captured_at', '<=', query.to);
    if (query.filter === 'labeled') rows = rows.where('label.id', 'is not', null);
    if (query.filter === 'unlabeled') rows = rows.where('label.id', 'is', null);
    if (query.filter === 'disagreement') {
      rows = rows.where('label.id', 'is not', null).whereRef('label.class_name', '!=', 'prediction.verdict');
    }
    return rows.orderBy('image.id', 'desc').limit(query.limit).offset(query.offset).execute();
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
