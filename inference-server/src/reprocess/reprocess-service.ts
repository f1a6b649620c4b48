import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { PlotTypeRow } from '../catalog/repositories/plot-types-repository.ts';
import type { ModelVersionRow } from '../catalog/repositories/models-repository.ts';
import type { ReprocessJobRow, ReprocessRange } from '../catalog/repositories/reprocess-jobs-repository.ts';
import {
  ConflictError,
  EmptySelectionError,
  InvalidInputError,
  NotFoundError,
  UnknownReferenceError,
} from '../errors.ts';
import { runRange, timeRange } from '../http/ranges.ts';
import type { ReprocessComparison, ReprocessComparisonQuery, ReprocessRequest } from '../schemas/index.ts';
import { iso } from '../views/api-views.ts';
import { reprocessComparisonView } from '../views/reprocess-views.ts';
import type { ReprocessQueue } from './reprocess-queue.ts';

/**
 * The rules of offline reprocessing: which plot type, range and version a job may run, cancelling it, and comparing
 * its verdicts with the live ones. The queue runs the jobs.
 */
export class ReprocessService {
  constructor(
    private readonly catalog: Catalog,
    private readonly queue: ReprocessQueue,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Queues a job over the plot type's images of the range, with the version asked for or the active one. */
  async create(request: ReprocessRequest, createdBy: string): Promise<ReprocessJobRow> {
    const { catalog } = this;
    const deployment = await catalog.deployments.require(request.deployment);
    const plotType = await catalog.plotTypes.find(deployment.id, request.plotType);
    if (!plotType) {
      throw new UnknownReferenceError(
        `plot type "${request.plotType}" is not registered in deployment "${deployment.name}": ` +
          `GET /api/v1/plot-types?deployment=${deployment.name} lists them`,
      );
    }
    const range = rangeOf(request);
    const version = await this.runnableVersion(plotType, request.modelVersionId);
    const images = await catalog.reprocessJobs.countInRange(plotType.id, range);
    if (images === 0) {
      throw new EmptySelectionError(
        `plot type "${plotType.name}" has 0 images ${describeRange(range)}: there is nothing to reprocess ` +
          `(GET /api/v1/runs?deployment=${deployment.name} lists the runs and their image counts)`,
      );
    }
    const job = await catalog.reprocessJobs.create({
      plotTypeId: plotType.id,
      modelVersionId: version.id,
      range,
      createdBy,
    });
    this.logger.info(
      {
        jobId: job.id,
        plotType: plotType.name,
        model: version.model_name,
        version: version.version,
        images: job.total,
        createdBy,
      },
      `reprocessing ${job.total} images of ${plotType.name} ${describeRange(range)} queued`,
    );
    this.queue.queued(job);
    return job;
  }

  async get(id: number): Promise<ReprocessJobRow> {
    return this.catalog.reprocessJobs.get(id);
  }

  async list(plotTypeId?: number): Promise<ReprocessJobRow[]> {
    return this.catalog.reprocessJobs.list(plotTypeId);
  }

  /** Stops a queued or running job: its remaining images are not processed; what was stored stays. */
  async cancel(id: number, by: string): Promise<ReprocessJobRow> {
    const { reprocessJobs } = this.catalog;
    if (!(await reprocessJobs.cancel(id, by))) {
      const job = await reprocessJobs.get(id);
      throw new ConflictError(`reprocessing job ${id} is already ${job.status}: there is nothing to cancel`);
    }
    const job = await reprocessJobs.get(id);
    await this.queue.ended(job);
    return job;
  }

  /** The job's verdicts against the live ones on the same images. */
  async comparison(id: number, page: ReprocessComparisonQuery): Promise<ReprocessComparison> {
    const { reprocessJobs, reprocessComparisons } = this.catalog;
    const job = await reprocessJobs.get(id);
    const [confusion, liveVersions, pairs] = await Promise.all([
      reprocessComparisons.confusion(id),
      reprocessComparisons.liveVersions(id),
      reprocessComparisons.pairs(id, page),
    ]);
    return reprocessComparisonView(job, confusion, liveVersions, pairs);
  }

  /** The version the job runs: one of the plot type's, not retired, the active one by default. */
  private async runnableVersion(plotType: PlotTypeRow, versionId?: number): Promise<ModelVersionRow> {
    const versionsUrl = `GET /api/v1/models/${plotType.id} lists its versions`;
    const id = versionId ?? plotType.active_model_version_id;
    if (id === null) {
      throw new ConflictError(
        `plot type "${plotType.name}" has no active model version: name one with modelVersionId (${versionsUrl})`,
      );
    }
    const version = await this.catalog.models.getVersion(id).catch((error: unknown) => {
      if (error instanceof NotFoundError) {
        throw new UnknownReferenceError(
          `model version ${id} does not exist: pick one of plot type "${plotType.name}" (${versionsUrl})`,
        );
      }
      throw error;
    });
    if (version.plot_type_id !== plotType.id) {
      const owner = await this.catalog.plotTypes.get(version.plot_type_id);
      throw new InvalidInputError(
        `model version ${id} (${version.model_name} v${version.version}) is a version of plot type ` +
          `"${owner.name}", not of "${plotType.name}": pick one of "${plotType.name}" (${versionsUrl})`,
      );
    }
    if (version.status === 'retired' || version.status === 'training') {
      throw new ConflictError(
        `model version ${id} (${version.model_name} v${version.version}) is ${version.status} and cannot ` +
          `run: restore it with PATCH /api/v1/models/${plotType.id}/versions/${id} {"status":"ready"}, or pick another`,
      );
    }
    return version;
  }
}

/** The request's run range or capture-time range, checked: exactly one kind, and not reversed. */
function rangeOf(request: ReprocessRequest): ReprocessRange {
  const runs = runRange(request.runFrom, request.runTo);
  const times = timeRange(request.from, request.to);
  const hasRuns = runs.runFrom !== undefined || runs.runTo !== undefined;
  const hasTimes = times.from !== undefined || times.to !== undefined;
  if (hasRuns === hasTimes) {
    throw new InvalidInputError(
      hasRuns
        ? 'give a run range (runFrom, runTo) or a time range (from, to), not both'
        : 'give a run range (runFrom, runTo) or a capture-time range (from, to): at least one end of one',
    );
  }
  return {
    runFrom: runs.runFrom ?? null,
    runTo: runs.runTo ?? null,
    from: times.from ?? null,
    to: times.to ?? null,
  };
}

/** The range in words, for messages and logs. */
function describeRange(range: ReprocessRange): string {
  if (range.runFrom !== null || range.runTo !== null) {
    if (range.runFrom === range.runTo) return `in run ${range.runFrom}`;
    if (range.runTo === null) return `in runs from ${range.runFrom}`;
    return range.runFrom === null
      ? `in runs up to ${range.runTo}`
      : `in runs ${range.runFrom} to ${range.runTo}`;
  }
  if (range.to === null) return `captured from ${iso(range.from!)}`;
  return range.from === null
    ? `captured up to ${iso(range.to)}`
    : `captured from ${iso(range.from)} to ${iso(range.to)}`;
}
