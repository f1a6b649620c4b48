import type { Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import type { ArchitectureName, TrainingJobStatus } from '../../enums.ts';
import { Value } from 'typebox/value';
import { TrainRequest, type TrainingProgress } from '../../schemas/training.ts';
import type { SqlEngine } from '../connection.ts';
import type { Database, TrainingJobRow as TrainingJobTableRow } from '../database.ts';
import { decodeJson, decodeJsonOrNull, encodeJson, flag, toFlag } from './json-columns.ts';
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
  'parameters' | 'split' | 'progress' | 'architecture' | 'cancel_requested'
> {
  cancel_requested: boolean;
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

/** A running job whose replica stopped: its lease expired, or it was this replica's before a restart. */
export interface AbandonedJob {
  id: number;
  replica: string | null;
}

/**
 * Training jobs: what was asked, the split it used, its progress and log, and the version it made. A replica claims
 * a queued job as it claims images (owner and lease), so that each job runs once, on one replica.
 */
export class TrainingJobsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

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
      cancel_requested: flag(row.cancel_requested),
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

  /** Takes the oldest queued job for `owner` and marks it running; concurrent replicas skip each other's. */
  async claimNext(owner: string, leaseMs: number, now = Date.now()): Promise<TrainingJobRow | undefined> {
    const oldest = this.db
      .selectFrom('training_job')
      .select('id')
      .where('status', '=', 'queued')
      .orderBy('id')
      .limit(1);
    const claimed = await this.db
      .updateTable('training_job')
      .set({ status: 'running', claimed_by: owner, claimed_until: now + leaseMs, started_at: now })
      .where('id', 'in', this.engine === 'postgres' ? oldest.forUpdate().skipLocked() : oldest)
      .where('status', '=', 'queued')
      .returning('id')
      .executeTakeFirst();
    return claimed && this.get(claimed.id);
  }

  /** Extends the lease of every job `owner` runs; returns the ids of those someone asked to cancel. */
  async renewClaims(owner: string, leaseMs: number, now = Date.now()): Promise<number[]> {
    await this.db
      .updateTable('training_job')
      .set({ claimed_until: now + leaseMs })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'running')
      .execute();
    const cancelled = await this.db
      .selectFrom('training_job')
      .select('id')
      .where('claimed_by', '=', owner)
      .where('status', '=', 'running')
      .where('cancel_requested', '=', toFlag(true))
      .execute();
    return cancelled.map((row) => row.id);
  }

  /** Cancels a job that is still queued; false when a replica claimed it first. */
  async cancelQueued(id: number): Promise<boolean> {
    const result = await this.db
      .updateTable('training_job')
      .set({ status: 'cancelled' })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Asks the replica running the job to stop it (it reads this when it renews its lease). */
  async requestCancel(id: number): Promise<void> {
    await this.db
      .updateTable('training_job')
      .set({ cancel_requested: toFlag(true) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Marks failed the running jobs whose replica stopped: their lease expired, they were running before claims
   * existed, or (at a replica's start) they are its own from before the restart. Their workers died with it.
   */
  async failAbandoned({ restarted }: { restarted?: string } = {}, now = Date.now()): Promise<AbandonedJob[]> {
    const abandoned = await this.db
      .selectFrom('training_job')
      .select(['id', 'claimed_by', 'claimed_until'])
      .where('status', '=', 'running')
      .where((eb) =>
        eb.or([
          eb('claimed_until', '<', now),
          eb('claimed_until', 'is', null),
          ...(restarted === undefined ? [] : [eb('claimed_by', '=', restarted)]),
        ]),
      )
      .execute();
    const failed: AbandonedJob[] = [];
    for (const job of abandoned) {
      const replica = job.claimed_by;
      const result = await this.db
        .updateTable('training_job')
        .set({
          status: 'failed',
          error: `${replica === null ? 'the server' : `replica ${replica}`} stopped while running this job`,
          finished_at: now,
        })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        // A lease renewed meanwhile keeps its job.
        .where((eb) =>
          job.claimed_until === null
            ? eb('claimed_until', 'is', null)
            : eb('claimed_until', '=', job.claimed_until),
        )
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) failed.push({ id: job.id, replica });
    }
    return failed;
  }
}
