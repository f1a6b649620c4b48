import type { Kysely } from 'kysely';
import { atomically } from './atomically.ts';
import type { Verdict } from '../../pipeline/verdict.ts';
import type { Database } from '../database.ts';
import { decodeJson, encodeJson, flag, toFlag } from './json-columns.ts';
import { inBatches } from './statement-batches.ts';
import { refreshPredictionSummaries } from './image-summaries.ts';
import { newestImageIds } from './images-repository.ts';
import { uncertaintyOf } from '../../labels/uncertainty.ts';

export interface PredictionFilter {
  deploymentId?: number;
  plotTypeId?: number;
  runNumber?: number;
  verdict?: string;
  from?: number;
  to?: number;
  /** The predictions of this reprocessing job; by default the live ones. */
  reprocessJobId?: number;
  limit: number;
  offset: number;
}

/** A verdict the batcher made and has not stored yet. */
export type NewVerdict = Omit<Verdict, 'id'>;

/**
 * Verdicts: one prediction row per classified image and model version. Storing one marks its image
 * classified in the same transaction; reading one gives the same `Verdict` record the sinks received.
 */
export class PredictionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores the verdicts with their margin and entropy, and marks their images classified with copies of their
   * latest scores, atomically; returns them with their ids. With `claimedBy`, only the verdicts of images that
   * replica still holds are stored: one whose claim expired may have been classified by another replica already,
   * and an image gets one verdict from the queue, never two.
   */
  async record(verdicts: NewVerdict[], { claimedBy }: { claimedBy?: string } = {}): Promise<Verdict[]> {
    if (verdicts.length === 0) return [];
    return atomically(this.db, async (trx) => {
      let classify = trx
        .updateTable('image')
        .set({ status: 'classified', error: null, claimed_by: null, claimed_until: null })
        .where(
          'id',
          'in',
          verdicts.map((v) => v.imageId),
        );
      if (claimedBy !== undefined) {
        classify = classify.where('status', '=', 'pending').where('claimed_by', '=', claimedBy);
      }
      const classified = new Set((await classify.returning('id').execute()).map((row) => row.id));
      const held = verdicts.filter((v) => classified.has(v.imageId));
      if (held.length === 0) return [];
      const ids = await trx
        .insertInto('prediction')
        .values(held.map((v) => predictionValues(trx, v)))
        .returning('id')
        .execute();
      await refreshPredictionSummaries(
        trx,
        held.map((v) => v.imageId),
      );
      return held.map((verdict, i) => ({ ...verdict, id: ids[i]!.id }));
    });
  }

  /**
   * Stores a reprocessing job's verdicts as predictions of the job: the images keep their status and latest
   * verdict, and no InfluxDB point is ever owed for them. Returns their ids, in order.
   */
  async recordReprocessed(jobId: number, verdicts: NewVerdict[]): Promise<number[]> {
    if (verdicts.length === 0) return [];
    const rows = await this.db
      .insertInto('prediction')
      .values(
        verdicts.map((v) => ({
          ...predictionValues(this.db, v),
          reprocess_job_id: jobId,
          point_written: toFlag(true),
        })),
      )
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  private withContext() {
    return predictionsWithContext(this.db);
  }

  /** Newest first. */
  async list(filter: PredictionFilter): Promise<Verdict[]> {
    let query = this.withContext().where(
      'prediction.reprocess_job_id',
      filter.reprocessJobId === undefined ? 'is' : '=',
      filter.reprocessJobId ?? null,
    );
    if (filter.deploymentId !== undefined) query = query.where('deployment.id', '=', filter.deploymentId);
    if (filter.plotTypeId !== undefined)
      query = query.where('prediction.plot_type_id', '=', filter.plotTypeId);
    if (filter.runNumber !== undefined) query = query.where('run.number', '=', filter.runNumber);
    if (filter.verdict !== undefined) query = query.where('prediction.verdict', '=', filter.verdict);
    if (filter.from !== undefined) query = query.where('prediction.created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('prediction.created_at', '<=', filter.to);
    const rows = await query
      .orderBy('prediction.created_at', 'desc')
      .orderBy('prediction.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map(decodeVerdict);
  }

  /** The image's latest live verdict (reprocessed ones never are). */
  async latestForImage(imageId: number): Promise<Verdict | undefined> {
    const row = await this.withContext()
      .where('prediction.image_id', '=', imageId)
      .where('prediction.reprocess_job_id', 'is', null)
      .orderBy('prediction.id', 'desc')
      .executeTakeFirst();
    return row && decodeVerdict(row);
  }

  /** Verdicts whose InfluxDB point was never acknowledged, oldest first, after the id `afterId`. */
  async withUnwrittenPoints(afterId: number, limit: number): Promise<Verdict[]> {
    const rows = await this.withContext()
      .where('prediction.point_written', '=', toFlag(false))
      .where('prediction.id', '>', afterId)
      .orderBy('prediction.id')
      .limit(limit)
      .execute();
    return rows.map(decodeVerdict);
  }

  /** InfluxDB acknowledged (or refused for good) these predictions' points. */
  async markPointsWritten(predictionIds: number[]): Promise<void> {
    for (const batch of inBatches(predictionIds)) {
      await this.db
        .updateTable('prediction')
        .set({ point_written: toFlag(true) })
        .where('id', 'in', batch)
        .execute();
    }
  }

  /** These predictions, in id order (what another replica announced). */
  async listByIds(ids: readonly number[]): Promise<Verdict[]> {
    const verdicts: Verdict[] = [];
    for (const batch of inBatches([...ids])) {
      const rows = await this.withContext()
        .where('prediction.id', 'in', batch)
        .orderBy('prediction.id')
        .execute();
      verdicts.push(...rows.map(decodeVerdict));
    }
    return verdicts;
  }

  /** The latest live verdict of each of these images. */
  async latestForImages(imageIds: number[]): Promise<Map<number, Verdict>> {
    if (imageIds.length === 0) return new Map();
    return this.latestOf(imageIds);
  }

  /**
   * The latest live verdict of the newest image of each plot type of a deployment (the plot grid's), by image id:
   * the images are found in the same statement, so this need not wait for them.
   */
  latestForNewestImages(deploymentId: number): Promise<Map<number, Verdict>> {
    return this.latestOf(newestImageIds(this.db, deploymentId));
  }

  private async latestOf(
    imageIds: number[] | ReturnType<typeof newestImageIds>,
  ): Promise<Map<number, Verdict>> {
    const rows = await this.withContext()
      .where('prediction.image_id', 'in', imageIds)
      .where('prediction.reprocess_job_id', 'is', null)
      .orderBy('prediction.id')
      .execute();
    return new Map(rows.map((row) => [row.image_id, decodeVerdict(row)]));
  }
}

/** Predictions with their model's, plot type's, deployment's and run's names: what `decodeVerdict` reads. */
export function predictionsWithContext(db: Kysely<Database>) {
  return (
    db
      .selectFrom('prediction')
      // A cross join keeps the predictions the outer loop on SQLite, whose planner would otherwise walk every image
      // of a plot type to find the newest predictions in a time range; PostgreSQL plans it as the inner join it is.
      .crossJoin('image')
      .whereRef('image.id', '=', 'prediction.image_id')
      // The prediction's own copy of its plot type (migration 0020): a plot type's or deployment's predictions in a
      // time range are then found without an image row for each prediction of the range.
      .innerJoin('plot_type', 'plot_type.id', 'prediction.plot_type_id')
      .innerJoin('deployment', 'deployment.id', 'plot_type.deployment_id')
      .innerJoin('model_version', 'model_version.id', 'prediction.model_version_id')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .leftJoin('run', 'run.id', 'image.run_id')
      .selectAll('prediction')
      .select([
        'model.name as model_name',
        'model_version.version as model_version',
        'model_version.kind',
        'plot_type.id as plot_type_id',
        'plot_type.name as plot_type',
        'deployment.name as deployment',
        'run.number as run_number',
        'image.captured_at',
      ])
  );
}

export type PredictionWithContext = Awaited<
  ReturnType<ReturnType<typeof predictionsWithContext>['executeTakeFirstOrThrow']>
>;

/** A prediction row with its context, as the `Verdict` the sinks received. */
export function decodeVerdict(row: PredictionWithContext): Verdict {
  return {
    id: row.id,
    imageId: row.image_id,
    deployment: row.deployment,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    run: row.run_number,
    modelVersionId: row.model_version_id,
    model: row.model_name,
    modelVersion: row.model_version,
    kind: row.kind,
    scores: decodeJson<Record<string, number>>(row.probabilities),
    verdict: row.verdict,
    confidence: row.confidence,
    confirmed: flag(row.confirmed),
    beam: row.beam,
    latencyMs: row.latency_ms,
    inferenceMs: row.inference_ms,
    capturedAt: row.captured_at,
    createdAt: row.created_at,
    ...(row.reprocess_job_id !== null && { reprocessJobId: row.reprocess_job_id }),
    ...(row.anomaly_version_id !== null &&
      row.anomaly_score !== null && {
        anomaly: {
          anomalyVersionId: row.anomaly_version_id,
          anomalyScore: row.anomaly_score,
          anomalous: flag(row.anomalous ?? 0),
        },
      }),
    ...(row.reference_image_id !== null &&
      row.reference_distance !== null && {
        reference: {
          referenceImageId: row.reference_image_id,
          siameseVersionId: row.reference_version_id,
          distance: row.reference_distance,
          anomalous: row.reference_anomalous === null ? null : flag(row.reference_anomalous),
        },
      }),
  };
}

/** A verdict's prediction row, with the margin and entropy the labeler sorts by, and its image's plot type. */
function predictionValues(db: Kysely<Database>, v: NewVerdict) {
  return {
    image_id: v.imageId,
    plot_type_id: db.selectFrom('image').select('image.plot_type_id').where('image.id', '=', v.imageId),
    model_version_id: v.modelVersionId,
    probabilities: encodeJson(v.scores),
    verdict: v.verdict,
    confidence: v.confidence,
    ...uncertaintyOf(v.scores),
    confirmed: toFlag(v.confirmed),
    latency_ms: v.latencyMs,
    inference_ms: v.inferenceMs,
    created_at: v.createdAt,
    point_written: toFlag(false),
    beam: v.beam,
    ...(v.anomaly && {
      anomaly_version_id: v.anomaly.anomalyVersionId,
      anomaly_score: v.anomaly.anomalyScore,
      anomalous: toFlag(v.anomaly.anomalous),
    }),
    ...(v.reference && {
      reference_image_id: v.reference.referenceImageId,
      reference_version_id: v.reference.siameseVersionId,
      reference_distance: v.reference.distance,
      reference_anomalous: v.reference.anomalous === null ? null : toFlag(v.reference.anomalous),
    }),
  };
}
