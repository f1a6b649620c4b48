import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../../errors.ts';
import { IMAGE_STATUSES, type ImageStatus } from '../../enums.ts';
import type { SqlEngine } from '../connection.ts';
import type { Database, ImageRow, NewImage } from '../database.ts';
import { inBatches } from './statement-batches.ts';

export type { ImageRow, NewImage };

/** An image with the names a reader needs. */
export interface ImageWithContext extends ImageRow {
  deployment: string;
  plot_type: string;
  run_number: number | null;
}

/** A claimed image with the model version that should classify it now. */
export interface ClaimedImage extends ImageWithContext {
  active_model_version_id: number | null;
  /** The plot type's autoencoder, whose anomaly score the verdict carries; null or absent (reprocessing): none. */
  active_anomaly_version_id?: number | null;
  /**
   * The plot type's Siamese encoder, whose embeddings measure the distance from its reference; null: the pixel
   * distance; absent (reprocessing): none measured.
   */
  active_siamese_version_id?: number | null;
}

/**
 * Stored plots, and the durable queue over them: an image is pending until its verdict (or its failure) is
 * stored. Replicas claim pending images for a lease; on PostgreSQL they skip each other's rows.
 */
export class ImagesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  /** Inserts the image unless its dedup key exists; either way returns the stored row. */
  async insert(image: NewImage): Promise<{ image: ImageRow; created: boolean }> {
    const inserted = await this.db
      .insertInto('image')
      .values({
        ...image,
        // The labeler sorts by it without a join.
        run_number:
          image.run_id === null || image.run_id === undefined
            ? null
            : this.db.selectFrom('run').select('run.number').where('run.id', '=', image.run_id),
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { image: inserted, created: true };
    const existing = await this.db
      .selectFrom('image')
      .selectAll()
      .where('dedup_key', '=', image.dedup_key)
      .executeTakeFirstOrThrow();
    return { image: existing, created: false };
  }

  private withContext() {
    return imagesWithContext(this.db);
  }

  async get(id: number): Promise<ImageWithContext> {
    const row = await this.withContext().where('image.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`image ${id} does not exist`);
    return row;
  }

  async list(ids: number[]): Promise<ImageWithContext[]> {
    if (ids.length === 0) return [];
    return this.withContext().where('image.id', 'in', ids).orderBy('image.id').execute();
  }

  /** Writes each image's uniqueness (the labeler's "most unique" order), as its plot type's clustering measured it. */
  async setUniqueness(scores: ReadonlyMap<number, number>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const batch of inBatches([...scores])) {
        const cases = sql.join(
          batch.map(([id, score]) => sql`when ${id} then cast(${score} as double precision)`),
          sql` `,
        );
        await trx
          .updateTable('image')
          .set({ uniqueness: sql<number>`case id ${cases} end` })
          .where(
            'id',
            'in',
            batch.map(([id]) => id),
          )
          .execute();
      }
    });
  }

  /** The newest image of each plot type of a deployment. */
  async latestPerPlotType(deploymentId: number): Promise<ImageWithContext[]> {
    return this.withContext().where('image.id', 'in', newestImageIds(this.db, deploymentId)).execute();
  }

  /** Which of these stored files (paths as the image store gives them) a catalog row refers to. */
  async referencedPaths(paths: string[]): Promise<Set<string>> {
    const referenced = new Set<string>();
    for (const batch of inBatches(paths)) {
      const rows = await this.db.selectFrom('image').select('path').where('path', 'in', batch).execute();
      for (const row of rows) referenced.add(row.path);
    }
    return referenced;
  }

  /** Images waiting for a verdict, counted on the status index (a status sample takes it every few seconds). */
  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('image')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async countByStatus(): Promise<Record<ImageStatus, number>> {
    const rows = await this.db
      .selectFrom('image')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(IMAGE_STATUSES.map((status) => [status, 0])) as Record<
      ImageStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /**
   * Claims up to `limit` pending images for `owner` until `now + leaseMs`. Claims of a crashed replica
   * expire, so another takes its images; on PostgreSQL, concurrent replicas skip each other's rows.
   */
  async claimPending(
    owner: string,
    limit: number,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimedImage[]> {
    const claimable = this.db
      .selectFrom('image')
      .select('id')
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('id')
      .limit(limit);
    const ids = await this.db
      .updateTable('image')
      .set((eb) => ({ claimed_by: owner, claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? claimable.forUpdate().skipLocked() : claimable)
      .returning('id')
      .execute();
    if (ids.length === 0) return [];
    return this.withContext()
      .select([
        'plot_type.active_model_version_id',
        'plot_type.active_anomaly_version_id',
        'plot_type.active_siamese_version_id',
      ])
      .where(
        'image.id',
        'in',
        ids.map((r) => r.id),
      )
      .orderBy('image.id')
      .execute();
  }

  /**
   * Extends the lease of every image `owner` still holds: a replica renews its claims while it works on them, so
   * that only the claims of a replica that stopped (or lost the database for a whole lease) expire.
   */
  async renewClaims(owner: string, leaseMs: number, now = Date.now()): Promise<number> {
    const result = await this.db
      .updateTable('image')
      .set({ claimed_until: now + leaseMs })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Gives back this owner's claims, e.g. on a clean shutdown, so that no lease has to expire. A claim given
   * back unused was no attempt; one left by a crash (released at the next start) stays counted.
   */
  async releaseClaims(owner: string, { unused }: { unused: boolean }): Promise<void> {
    await this.db
      .updateTable('image')
      .set((eb) => ({
        claimed_by: null,
        claimed_until: null,
        attempts: unused ? eb('attempts', '-', 1) : eb.ref('attempts'),
      }))
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Ends the images' time in the queue with a status other than classified (a verdict classifies them). An image
   * another replica classified meanwhile (it took over an expired claim) keeps its verdict.
   */
  async finish(ids: number[], status: Exclude<ImageStatus, 'pending'>, error: string | null = null) {
    if (ids.length === 0) return;
    await this.db
      .updateTable('image')
      .set({ status, error, claimed_by: null, claimed_until: null })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
  }
}

/** Images with the names a reader needs (`ImageWithContext`). */
export function imagesWithContext(db: Kysely<Database>) {
  return db
    .selectFrom('image')
    .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
    .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
    .leftJoin('run', 'run.id', 'image.run_id')
    .selectAll('image')
    .select(['deployment.name as deployment', 'plot_type.name as plot_type', 'run.number as run_number']);
}

/**
 * The id of the newest image of each plot type of a deployment, as a subquery: one probe of the (plot type, id) index
 * per plot type, where a group-by would read every image of the deployment.
 */
export function newestImageIds(db: Kysely<Database>, deploymentId: number) {
  return db
    .selectFrom('plot_type')
    .select((eb) =>
      eb
        .selectFrom('image')
        .select((image) => image.fn.max('image.id').as('id'))
        .whereRef('image.plot_type_id', '=', 'plot_type.id')
        .as('image_id'),
    )
    .where('plot_type.deployment_id', '=', deploymentId);
}
