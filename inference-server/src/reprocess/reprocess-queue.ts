import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { ItemOutcome, ReprocessJobRow } from '../catalog/repositories/reprocess-jobs-repository.ts';
import type { NewVerdict } from '../catalog/repositories/predictions-repository.ts';
import type { InferencePool } from '../inference/pool.ts';
import { MAX_ATTEMPTS, type BackgroundBatch, type BackgroundWork } from '../pipeline/batcher.ts';
import type { LiveEvents } from '../pipeline/live-events.ts';
import { reprocessJobView } from '../views/reprocess-views.ts';

/** Progress events of a running job, at most this often (a job's end is always sent). */
const PROGRESS_EVENT_INTERVAL_MS = 500;

export interface ReprocessQueueOptions {
  catalog: Catalog;
  pool: Pick<InferencePool, 'unload'>;
  events: LiveEvents;
  logger: FastifyBaseLogger;
  /** This replica's name: it owns the items it claims. */
  instanceId: string;
  /** Images per claimed batch: small, so that a live burst arriving meanwhile waits little for a worker. */
  batchSize: number;
  /** Workers reprocessing may keep busy at once. */
  workers: number;
  leaseMs: number;
  /** Tells the batcher that work is waiting. */
  wake: () => void;
}

/**
 * The reprocessing jobs' items as the batcher's background work: claimed only when no live image is pending,
 * classified on the same path, stored as predictions of their job (never as an image's live verdict) and handed
 * to no verdict sink: InfluxDB's `hydra_prediction`, EPICS, the live grid and the stats see live verdicts only.
 * Progress goes out as `reprocess` events.
 */
export class ReprocessQueue implements BackgroundWork {
  private readonly lastEventAt = new Map<number, number>();

  constructor(private readonly options: ReprocessQueueOptions) {}

  get workers(): number {
    return this.options.workers;
  }

  /** Claims left by this replica's previous life are stale: their jobs resume from what was stored. */
  async start(): Promise<void> {
    await this.options.catalog.reprocessJobs.releaseClaims(this.options.instanceId);
  }

  async claim(): Promise<BackgroundBatch | undefined> {
    const { catalog, instanceId, batchSize, leaseMs, logger } = this.options;
    const claimed = await catalog.reprocessJobs.claim(instanceId, batchSize, leaseMs);
    if (!claimed) return undefined;
    const { jobId, modelVersionId } = claimed;
    const crashed = claimed.items.filter((item) => item.attempts > MAX_ATTEMPTS).map((item) => item.image_id);
    if (crashed.length) {
      logger.error({ jobId, imageIds: crashed }, 'giving up on reprocessing images');
      await this.settle(jobId, crashed, {
        status: 'failed',
        error: `gave up after ${MAX_ATTEMPTS} attempts: the server stopped each time while reprocessing it`,
      });
    }
    const images = await catalog.images.list(
      claimed.items.filter((item) => item.attempts <= MAX_ATTEMPTS).map((item) => item.image_id),
    );
    // A reprocessed verdict's latency runs from its claim: the image itself was accepted long ago.
    const claimedAt = Date.now();
    return {
      modelVersionId,
      images: images.map((image) => ({
        ...image,
        received_at: claimedAt,
        active_model_version_id: modelVersionId,
      })),
      store: (verdicts) => this.store(jobId, verdicts),
      fail: (imageIds, reason) => this.settle(jobId, imageIds, { status: 'failed', error: reason }),
    };
  }

  /** A new job waits: the batcher takes it as soon as no live image is pending. */
  queued(job: ReprocessJobRow): void {
    this.publish(job);
    this.options.wake();
  }

  /** A job ended (completed or cancelled): its last event, and its version leaves the workers if nothing uses it. */
  async ended(job: ReprocessJobRow): Promise<void> {
    const { catalog, pool, logger } = this.options;
    this.lastEventAt.delete(job.id);
    this.publish(job);
    logger.info(
      {
        jobId: job.id,
        plotType: job.plot_type,
        model: job.model_name,
        version: job.model_version,
        done: job.done,
        failed: job.failed,
        total: job.total,
      },
      `reprocessing job ${job.status}`,
    );
    const plotType = await catalog.plotTypes.get(job.plot_type_id);
    if (
      plotType.active_model_version_id !== job.model_version_id &&
      !(await catalog.reprocessJobs.versionInUse(job.model_version_id, job.id))
    ) {
      pool.unload(job.model_version_id);
    }
  }

  /** Stores the verdicts of the images still pending in the job (a cancel leaves the others), with its progress. */
  private async store(jobId: number, verdicts: NewVerdict[]): Promise<void> {
    if (verdicts.length === 0) return;
    await this.options.catalog.transaction(async (repositories) => {
      const settled = new Set(
        await repositories.reprocessJobs.settle(
          jobId,
          verdicts.map((verdict) => verdict.imageId),
          { status: 'done' },
        ),
      );
      await repositories.predictions.recordReprocessed(
        jobId,
        verdicts.filter((verdict) => settled.has(verdict.imageId)),
      );
    });
    await this.progressed(jobId);
  }

  private async settle(jobId: number, imageIds: number[], outcome: ItemOutcome): Promise<void> {
    await this.options.catalog.reprocessJobs.settle(jobId, imageIds, outcome);
    await this.progressed(jobId);
  }

  private async progressed(jobId: number): Promise<void> {
    const { catalog } = this.options;
    const completed = await catalog.reprocessJobs.completeIfDone(jobId);
    const job = await catalog.reprocessJobs.get(jobId);
    if (completed) {
      await this.ended(job);
      return;
    }
    const now = Date.now();
    if (now - (this.lastEventAt.get(jobId) ?? 0) >= PROGRESS_EVENT_INTERVAL_MS) {
      this.lastEventAt.set(jobId, now);
      this.publish(job);
    }
  }

  private publish(job: ReprocessJobRow): void {
    this.options.events.publish('reprocess', reprocessJobView(job));
  }
}
