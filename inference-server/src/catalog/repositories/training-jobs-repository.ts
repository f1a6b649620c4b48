import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import type { ArchitectureName, TrainingJobStatus } from '../../enums.ts';
import { Value } from 'typebox/value';
import { TrainRequest, type TrainingProgress } from '../../schemas/training.ts';
import type { Database, TrainingJobRow as TrainingJobTableRow } from '../database.ts';
import { decodeJson, decodeJsonOrNull, encodeJson } from './json-columns.ts';
import type { InputShape } from './models-repository.ts';

/** What a job was asked to train, with the choices made when it was queued. */
export type TrainingParameters = TrainRequest & {
  architecture: ArchitectureName;
  inputShape: InputShape;
  classes: string[];
};

/** Image ids of each split, for reproducing the experiment. */
export interface SplitImageIds {
  train: number[];
  validation: number[];
  test: number[];
}

/** A training job with its JSON columns decoded and its plot type's names. */
export interface TrainingJobRow extends Omit<
  TrainingJobTableRow,
  'parameters' | 'split' | 'progress' | 'architecture'
> {
  architecture: ArchitectureName;
  parameters: TrainingParameters;
  split: SplitImageIds | null;
  progress: TrainingProgress | null;
  plot_type: string;
  deployment: string;
}

export interface TrainingJobChanges {
  status?: TrainingJobStatus;
  progress?: TrainingProgress;
  log?: string;
  error?: string;
  model_version_id?: number;
  started_at?: number;
  finished_at?: number;
}

/** Training jobs: what was asked, the split it used, its progress and log, and the version it made. */
export class TrainingJobsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private withNames() {
    return this.db
      .selectFrom('training_job')
      .innerJoin('plot_type', 'plot_type.id', 'training_job.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .selectAll('training_job')
      .select(['plot_type.name as plot_type', 'deployment.name as deployment']);
  }

  private static decode(
    row: Awaited<ReturnType<ReturnType<TrainingJobsRepository['withNames']>['executeTakeFirstOrThrow']>>,
  ): TrainingJobRow {
    return {
      ...row,
      architecture: row.architecture as ArchitectureName,
      // Jobs recorded before an option existed get its default, as a request that left it out does.
      parameters: Value.Default(
        TrainRequest,
        decodeJson<TrainingParameters>(row.parameters),
      ) as TrainingParameters,
      split: decodeJsonOrNull<SplitImageIds>(row.split),
      progress: decodeJsonOrNull<TrainingProgress>(row.progress),
    };
  }

  async create(job: {
    plotTypeId: number;
    parameters: TrainingParameters;
    split: SplitImageIds;
    createdBy: string;
  }): Promise<TrainingJobRow> {
    const row = await this.db
      .insertInto('training_job')
      .values({
        plot_type_id: job.plotTypeId,
        status: 'queued',
        architecture: job.parameters.architecture,
        parameters: encodeJson(job.parameters),
        split: encodeJson(job.split),
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

  async get(id: number): Promise<TrainingJobRow> {
    const row = await this.withNames().where('training_job.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`training job ${id} does not exist`);
    return TrainingJobsRepository.decode(row);
  }

  /** The newest 200, of one plot type or all. */
  async list(plotTypeId?: number): Promise<TrainingJobRow[]> {
    let query = this.withNames();
    if (plotTypeId !== undefined) query = query.where('training_job.plot_type_id', '=', plotTypeId);
    const rows = await query.orderBy('training_job.id', 'desc').limit(200).execute();
    return rows.map(TrainingJobsRepository.decode);
  }

  async update(id: number, changes: TrainingJobChanges): Promise<TrainingJobRow> {
    const { progress, ...columns } = changes;
    await this.db
      .updateTable('training_job')
      .set({ ...columns, ...(progress !== undefined && { progress: encodeJson(progress) }) })
      .where('id', '=', id)
      .execute();
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
}
