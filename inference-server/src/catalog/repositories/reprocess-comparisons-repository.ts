import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

/** One verdict of a comparison pair. */
export interface PairVerdict {
  predictionId: number;
  verdict: string;
  confidence: number;
  modelVersionId: number;
}

/** One image reprocessed by a job: its live verdict (none for an image never classified live) and the job's. */
export interface ReprocessPair {
  imageId: number;
  run: number | null;
  capturedAt: number;
  live: PairVerdict | null;
  reprocessed: PairVerdict;
}

/** How many images got this pair of verdicts (live null: the image had no live verdict). */
export interface ConfusionCell {
  live: string | null;
  reprocessed: string;
  count: number;
}

/** How many of the job's images the live verdict of this version judged. */
export interface LiveVersionCount {
  modelVersionId: number;
  model: string;
  version: number;
  images: number;
}

/**
 * A reprocessing job's verdicts beside the live ones, image by image: the same images judged by two versions
 * (champion against challenger on a whole run period). The live verdict is the image's latest live prediction.
 */
export class ReprocessComparisonsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private pairsOf(jobId: number) {
    return this.db
      .selectFrom('prediction as reprocessed')
      .innerJoin('image', 'image.id', 'reprocessed.image_id')
      .leftJoin('prediction as live', 'live.id', 'image.latest_prediction_id')
      .where('reprocessed.reprocess_job_id', '=', jobId);
  }

  /** The job's pairs in image order; `disagreeing` keeps those whose live verdict differs from the job's. */
  async pairs(
    jobId: number,
    page: { disagreeing: boolean; limit: number; offset: number },
  ): Promise<ReprocessPair[]> {
    let query = this.pairsOf(jobId).select([
      'image.id as image_id',
      'image.run_number',
      'image.captured_at',
      'live.id as live_id',
      'live.verdict as live_verdict',
      'live.confidence as live_confidence',
      'live.model_version_id as live_model_version_id',
      'reprocessed.id as reprocessed_id',
      'reprocessed.verdict as reprocessed_verdict',
      'reprocessed.confidence as reprocessed_confidence',
      'reprocessed.model_version_id as reprocessed_model_version_id',
    ]);
    if (page.disagreeing) query = query.whereRef('live.verdict', '!=', 'reprocessed.verdict');
    const rows = await query.orderBy('image.id').limit(page.limit).offset(page.offset).execute();
    return rows.map((row) => ({
      imageId: row.image_id,
      run: row.run_number,
      capturedAt: row.captured_at,
      live:
        row.live_id === null
          ? null
          : {
              predictionId: row.live_id,
              verdict: row.live_verdict!,
              confidence: row.live_confidence!,
              modelVersionId: row.live_model_version_id!,
            },
      reprocessed: {
        predictionId: row.reprocessed_id,
        verdict: row.reprocessed_verdict,
        confidence: row.reprocessed_confidence,
        modelVersionId: row.reprocessed_model_version_id,
      },
    }));
  }

  /** Images per (live verdict, reprocessed verdict), counted in the catalog however many the job has. */
  async confusion(jobId: number): Promise<ConfusionCell[]> {
    const rows = await this.pairsOf(jobId)
      .select([
        'live.verdict as live',
        'reprocessed.verdict as reprocessed',
        (eb) => eb.fn.countAll<number>().as('count'),
      ])
      .groupBy(['live.verdict', 'reprocessed.verdict'])
      .orderBy('live.verdict')
      .orderBy('reprocessed.verdict')
      .execute();
    return rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  /** The versions behind the live verdicts of the job's images (a run period may span an activation). */
  async liveVersions(jobId: number): Promise<LiveVersionCount[]> {
    const rows = await this.pairsOf(jobId)
      .innerJoin('model_version', 'model_version.id', 'live.model_version_id')
      .innerJoin('model', 'model.id', 'model_version.model_id')
      .select([
        'model_version.id',
        'model.name',
        'model_version.version',
        (eb) => eb.fn.countAll<number>().as('count'),
      ])
      .groupBy(['model_version.id', 'model.name', 'model_version.version'])
      .orderBy('model_version.id')
      .execute();
    return rows.map((row) => ({
      modelVersionId: row.id,
      model: row.name,
      version: row.version,
      images: Number(row.count),
    }));
  }
}
