import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors.ts';
import type { Database, LabelRow, LabelSource, ReferenceRow } from './database.ts';

export interface LabeledImageFilter {
  plotTypeId?: number;
  runFrom?: number;
  runTo?: number;
  from?: number;
  to?: number;
  filter: 'all' | 'labeled' | 'unlabeled' | 'disagreement';
  limit: number;
  offset: number;
}

export interface LabeledImageRow {
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

/** Human labels and references, with their history: a newer row supersedes the current one, which stays. */
export class LabelCatalog {
  constructor(private readonly db: Kysely<Database>) {}

  async addLabels(
    imageIds: number[],
    className: string,
    source: LabelSource,
    user: string,
    now = Date.now(),
  ): Promise<LabelRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('image').select('id').where('id', 'in', imageIds).execute();
      const missing = imageIds.filter((id) => !found.some((row) => row.id === id));
      if (missing.length) throw new NotFoundError(`no image with id ${missing.join(', ')}`);
      await trx
        .updateTable('label')
        .set({ superseded_at: now })
        .where('image_id', 'in', imageIds)
        .where('superseded_at', 'is', null)
        .execute();
      return trx
        .insertInto('label')
        .values(
          imageIds.map((image_id) => ({
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
    });
  }

  async history(imageId: number): Promise<LabelRow[]> {
    return this.db
      .selectFrom('label')
      .selectAll()
      .where('image_id', '=', imageId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** Images with their current label and latest verdict, for the labeler. */
  async labeledImages(filter: LabeledImageFilter): Promise<LabeledImageRow[]> {
    const latestPrediction = this.db
      .selectFrom('prediction')
      .select(['image_id', (eb) => eb.fn.max('id').as('prediction_id')])
      .groupBy('image_id')
      .as('latest');
    let query = this.db
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
    if (filter.plotTypeId !== undefined) query = query.where('image.plot_type_id', '=', filter.plotTypeId);
    if (filter.runFrom !== undefined) query = query.where('run.number', '>=', filter.runFrom);
    if (filter.runTo !== undefined) query = query.where('run.number', '<=', filter.runTo);
    if (filter.from !== undefined) query = query.where('image.captured_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('image.captured_at', '<=', filter.to);
    if (filter.filter === 'labeled') query = query.where('label.id', 'is not', null);
    if (filter.filter === 'unlabeled') query = query.where('label.id', 'is', null);
    if (filter.filter === 'disagreement') {
      query = query
        .where('label.id', 'is not', null)
        .whereRef('label.class_name', '!=', 'prediction.verdict');
    }
    return query.orderBy('image.id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  /**
   * Each current human label (not imported ones) with the prediction the model had made for its image
   * before the label was given: the pairs that measure how far experts agree with the model.
   */
  async labelsAfterPredictions(where: { plotTypeId?: number; labelIds?: number[] }) {
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
    if (where.labelIds) query = query.where('label.id', 'in', where.labelIds);
    else query = query.where('label.superseded_at', 'is', null);
    if (where.plotTypeId !== undefined) query = query.where('image.plot_type_id', '=', where.plotTypeId);
    const rows = await query.orderBy('label.id').orderBy('prediction.id').execute();
    // Keep the newest prediction before each label.
    return [...new Map(rows.map((row) => [row.label_id, row])).values()];
  }

  async setReference(
    plotTypeId: number,
    imageId: number,
    user: string,
    now = Date.now(),
  ): Promise<ReferenceRow> {
    return this.db.transaction().execute(async (trx) => {
      const image = await trx
        .selectFrom('image')
        .select('plot_type_id')
        .where('id', '=', imageId)
        .executeTakeFirst();
      if (!image) throw new NotFoundError(`no image with id ${imageId}`);
      if (image.plot_type_id !== plotTypeId) {
        throw new NotFoundError(`image ${imageId} is not a plot of plot type ${plotTypeId}`);
      }
      await trx
        .updateTable('reference')
        .set({ superseded_at: now })
        .where('plot_type_id', '=', plotTypeId)
        .where('superseded_at', 'is', null)
        .execute();
      return trx
        .insertInto('reference')
        .values({
          plot_type_id: plotTypeId,
          image_id: imageId,
          set_by: user,
          created_at: now,
          superseded_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** The current reference first, then the ones it replaced. */
  async references(plotTypeId: number): Promise<ReferenceRow[]> {
    return this.db
      .selectFrom('reference')
      .selectAll()
      .where('plot_type_id', '=', plotTypeId)
      .orderBy('id', 'desc')
      .execute();
  }
}
