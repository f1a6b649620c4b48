import type { Kysely, Updateable } from 'kysely';
import { NotFoundError } from '../errors.ts';
import type { Database, TrainingJobRow, TrainingJobTable } from './database.ts';

export interface TrainingJobWithNames extends TrainingJobRow {
  plot_type: string;
  deployment: string;
}

/** Training jobs: what was asked, the split it used, its progress and log, and the version it made. */
export class TrainingJobCatalog {
  constructor(private readonly db: Kysely<Database>) {}

  private withNames() {
    return this.db
      .selectFrom('training_job')
      .innerJoin('plot_type', 'plot_type.id', 'training_job.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .selectAll('training_job')
      .select(['plot_type.name as plot_type', 'deployment.name as deployment']);
  }

  async create(job: {
    plotTypeId: number;
    architecture: string;
    parameters: unknown;
    split: unknown;
    createdBy: string;
  }): Promise<TrainingJobWithNames> {
    const row = await this.db
      .insertInto('training_job')
      .values({
        plot_type_id: job.plotTypeId,
        status: 'queued',
        architecture: job.architecture,
        parameters: JSON.stringify(job.parameters),
        split: JSON.stringify(job.split),
        progress: null,
        log: '',
        error: null,
        model_version_id: null,
        created_by: job.createdBy,
        created_at: Date.now(),
        started_at: null,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.get(row.id);
  }

  async get(id: number): Promise<TrainingJobWithNames> {
    const row = await this.withNames().where('training_job.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`training job ${id} does not exist`);
    return row;
  }

  async list(plotTypeId?: number): Promise<TrainingJobWithNames[]> {
    let query = this.withNames();
    if (plotTypeId !== undefined) query = query.where('training_job.plot_type_id', '=', plotTypeId);
    return query.orderBy('training_job.id', 'desc').limit(200).execute();
  }

  async update(id: number, changes: Updateable<TrainingJobTable>): Promise<TrainingJobWithNames> {
    await this.db.updateTable('training_job').set(changes).where('id', '=', id).execute();
    return this.get(id);
  }

  /** Jobs a stopped server left queued or running; their workers died with it. */
  async failUnfinished(reason: string): Promise<number> {
    const result = await this.db
      .updateTable('training_job')
      .set({ status: 'failed', error: reason, finished_at: Date.now() })
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The current labels of a plot type's images, with their files: what a model of it learns from. */
  async labelledImages(plotTypeId: number) {
    return this.db
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select(['image.id as image_id', 'image.path', 'label.class_name'])
      .where('image.plot_type_id', '=', plotTypeId)
      .where('label.superseded_at', 'is', null)
      .orderBy('image.id')
      .execute();
  }
}
