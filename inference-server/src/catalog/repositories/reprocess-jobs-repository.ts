import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import type { SqlEngine } from '../connection.ts';
import type { Database, ReprocessJobRecord } from '../database.ts';
import { atomically } from './atomically.ts';
import { inBatches } from './statement-batches.ts';

/** Which images of a plot type a job runs over: a run range or a capture-time range (epoch ms); open ends allowed. */
export interface ReprocessRange {
  runFrom: number | null;
  runTo: number | null;
  from: number | null;
  to: number | null;
}

/** A job with the names a reader needs. */
export interface ReprocessJobRow extends ReprocessJobRecord {
  deployment: string;
  plot_type: string;
  model_name: string;
  model_version: number;
}

/** Images claimed for a job: all of one job, so of one model version. */
export interface ClaimedReprocessItems {
  jobId: number;
  modelVersionId: number;
  items: Array<{ image_id: number; attempts: number }>;
}

/** How a job's claimed images ended: with a stored prediction, or failed with a reason. */
export type ItemOutcome = { status: 'done' } | { status: 'failed'; error: string };

const UNFINISHED = ['queued', 'running'] as const;

/**
 * Reprocessing jobs and their items. The items are the job's durable queue: replicas claim them for a lease (on
 * PostgreSQL skipping each other's rows), and an item settles once, so each image gets one prediction per job.
 */
export class ReprocessJobsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  private imagesInRange(plotTypeId: number, range: ReprocessRange) {
    let query = this.db.selectFrom('image').where('image.plot_type_id', '=', plotTypeId);
    if (range.runFrom !== null) query = query.where('image.run_number', '>=', range.runFrom);
    if (range.runTo !== null) query = query.where('image.run_number', '<=', range.runTo);
    if (range.from !== null) query = query.where('image.captured_at', '>=', range.from);
    if (range.to !== null) query = query.where('image.captured_at', '<=', range.to);
    return query;
  }

  /** How many images of the plot type lie in the range. */
  async countInRange(plotTypeId: number, range: ReprocessRange): Promise<number> {
    const row = await this.imagesInRange(plotTypeId, range)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** A queued job with one pending item per image of the range, made in one statement however many there are. */
  async create(job: {
    plotTypeId: number;
    modelVersionId: number;
    range: ReprocessRange;
    createdBy: string;
  }): Promise<ReprocessJobRow> {
    const id = await atomically(this.db, async (trx) => {
      const { id } = await trx
        .insertInto('reprocess_job')
        .values({
          plot_type_id: job.plotTypeId,
          model_version_id: job.modelVersionId,
          run_from: job.range.runFrom,
          run_to: job.range.runTo,
          time_from: job.range.from,
          time_to: job.range.to,
          status: 'queued',
          total: 0,
          created_by: job.createdBy,
          created_at: Date.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const repository = new ReprocessJobsRepository(trx, this.engine);
      await trx
        .insertInto('reprocess_item')
        .columns(['job_id', 'image_id', 'status'])
        .expression(
          repository
            .imagesInRange(job.plotTypeId, job.range)
            .select([sql.lit(id).as('job_id'), 'image.id', sql.lit('pending').as('status')])
            .orderBy('image.id'),
        )
        .execute();
      await trx
        .updateTable('reprocess_job')
        .set((eb) => ({
          total: eb
            .selectFrom('reprocess_item')
            .select((c) => c.fn.countAll<number>().as('count'))
            .where('reprocess_item.job_id', '=', id),
        }))
        .where('id', '=', id)
        .execute();
      return id;
    });
    return this.get(id);
  }

  private withNames() {
    return this.db
      .selectFrom('reprocess_job')
      .innerJoin('plot_type', 'plot_type.id', 'reprocess_job.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .innerJoin('model_version', 'model_version.id', 'reprocess_job.model_version_id')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .selectAll('reprocess_job')
      .select([
        'deployment.name as deployment',
        'plot_type.name as plot_type',
        'model.name as model_name',
        'model_version.version as model_version',
      ]);
  }

  async get(id: number): Promise<ReprocessJobRow> {
    const row = await this.withNames().where('reprocess_job.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`reprocessing job ${id} does not exist`);
    return row;
  }

  /** The newest 200, of one plot type or all. */
  async list(plotTypeId?: number): Promise<ReprocessJobRow[]> {
    let query = this.withNames();
    if (plotTypeId !== undefined) query = query.where('reprocess_job.plot_type_id', '=', plotTypeId);
    return query.orderBy('reprocess_job.id', 'desc').limit(200).execute();
  }

  /** Whether a queued or running job (other than `exceptJobId`) runs this model version. */
  async versionInUse(modelVersionId: number, exceptJobId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('reprocess_job')
      .select('id')
      .where('model_version_id', '=', modelVersionId)
      .where('status', 'in', UNFINISHED)
      .where('id', '!=', exceptJobId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims up to `limit` pending items of the oldest job that has any, for `owner` until `now + leaseMs`, and marks
   * that job running. Undefined when nothing waits (or another replica took it first).
   */
  async claim(
    owner: string,
    limit: number,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimedReprocessItems | undefined> {
    const claimable = this.db
      .selectFrom('reprocess_item')
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]));
    const next = await claimable.select('job_id').orderBy('job_id').orderBy('id').limit(1).executeTakeFirst();
    if (!next) return undefined;
    const ids = claimable.select('id').where('job_id', '=', next.job_id).orderBy('id').limit(limit);
    const items = await this.db
      .updateTable('reprocess_item')
      .set((eb) => ({ claimed_by: owner, claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? ids.forUpdate().skipLocked() : ids)
      .returning(['image_id', 'attempts'])
      .execute();
    if (items.length === 0) return undefined;
    await this.db
      .updateTable('reprocess_job')
      .set({ status: 'running', started_at: now })
      .where('id', '=', next.job_id)
      .where('status', '=', 'queued')
      .execute();
    const job = await this.db
      .selectFrom('reprocess_job')
      .select('model_version_id')
      .where('id', '=', next.job_id)
      .executeTakeFirstOrThrow();
    return { jobId: next.job_id, modelVersionId: job.model_version_id, items };
  }

  /**
   * Settles the job's still-pending items of these images and counts them in the job's progress; returns the
   * images it settled. An item settles once: one cancelled, or settled by another replica whose claim outlived a
   * lease, is left as it is (and its caller stores nothing for it).
   */
  async settle(jobId: number, imageIds: readonly number[], outcome: ItemOutcome): Promise<number[]> {
    return atomically(this.db, async (trx) => {
      const settled: number[] = [];
      for (const batch of inBatches(imageIds)) {
        const rows = await trx
          .updateTable('reprocess_item')
          .set({
            status: outcome.status,
            error: outcome.status === 'failed' ? outcome.error : null,
            claimed_by: null,
            claimed_until: null,
          })
          .where('job_id', '=', jobId)
          .where('image_id', 'in', batch)
          .where('status', '=', 'pending')
          .returning('image_id')
          .execute();
        settled.push(...rows.map((row) => row.image_id));
      }
      if (settled.length > 0) {
        await trx
          .updateTable('reprocess_job')
          .set((eb) =>
            outcome.status === 'done'
              ? { done: eb('done', '+', settled.length) }
              : { failed: eb('failed', '+', settled.length) },
          )
          .where('id', '=', jobId)
          .execute();
      }
      return settled;
    });
  }

  /** Marks the job completed once every item has settled; true when this call did. */
  async completeIfDone(jobId: number, now = Date.now()): Promise<boolean> {
    const result = await this.db
      .updateTable('reprocess_job')
      .set({ status: 'completed', finished_at: now })
      .where('id', '=', jobId)
      .where('status', 'in', UNFINISHED)
      .where((eb) => eb(eb('done', '+', eb.ref('failed')), '>=', eb.ref('total')))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Cancels a queued or running job: its pending items are never processed. False when it had already ended. */
  async cancel(jobId: number, by: string, now = Date.now()): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const result = await trx
        .updateTable('reprocess_job')
        .set({ status: 'cancelled', cancelled_by: by, finished_at: now })
        .where('id', '=', jobId)
        .where('status', 'in', UNFINISHED)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await trx
        .updateTable('reprocess_item')
        .set({ status: 'cancelled', claimed_by: null, claimed_until: null })
        .where('job_id', '=', jobId)
        .where('status', '=', 'pending')
        .execute();
      return true;
    });
  }

  /** Gives back this owner's claims, left by its previous life: the items wait for the next claim. */
  async releaseClaims(owner: string): Promise<void> {
    await this.db
      .updateTable('reprocess_item')
      .set({ claimed_by: null, claimed_until: null })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }
}
