import { sql, type Kysely } from 'kysely';
import type { BeamState } from '../../enums.ts';
import type { BeamChange } from '../../incidents/beam.ts';
import type { Database } from '../database.ts';
import type { LogbookRange } from './logbook-repository.ts';
import { inBatches } from './statement-batches.ts';

export interface OverrideRow {
  imageId: number;
  user: string;
  className: string;
  at: number;
}

/** What the incident report reads beside the log and the logbook: the beam over a period, and overrides. */
export class IncidentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The beam state each time it changed among the deployment's live verdicts of the period (window functions
   * return the few changes, not every verdict), with the reading in force at its start.
   */
  async beamChanges(range: LogbookRange): Promise<BeamChange[]> {
    const { rows } = await sql<{ created_at: number | string; beam: BeamState }>`
      select created_at, beam from (
        select prediction.created_at, prediction.beam,
          lag(prediction.beam) over (order by prediction.created_at, prediction.id) as previous
        from prediction
        join image on image.id = prediction.image_id
        join plot_type on plot_type.id = image.plot_type_id
        where plot_type.deployment_id = ${range.deploymentId}
          and prediction.reprocess_job_id is null
          and prediction.created_at >= ${range.from} and prediction.created_at <= ${range.to}
      ) readings
      where previous is null or previous <> beam
      order by created_at`.execute(this.db);
    const before = await this.db
      .selectFrom('prediction')
      .innerJoin('image', 'image.id', 'prediction.image_id')
      .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
      .select(['prediction.beam'])
      .where('plot_type.deployment_id', '=', range.deploymentId)
      .where('prediction.reprocess_job_id', 'is', null)
      .where('prediction.created_at', '<', range.from)
      .orderBy('prediction.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return [
      ...(before ? [{ at: range.from, beam: before.beam }] : []),
      ...rows.map((row) => ({ at: Number(row.created_at), beam: row.beam })),
    ];
  }

  /** The overrides (one-click relabels on the grid) of the images, oldest first. */
  async overrides(imageIds: readonly number[]): Promise<OverrideRow[]> {
    const found: OverrideRow[] = [];
    for (const batch of inBatches(imageIds)) {
      const rows = await this.db
        .selectFrom('label')
        .select(['image_id', 'user_name', 'class_name', 'created_at'])
        .where('source', '=', 'override')
        .where('image_id', 'in', batch)
        .orderBy('created_at')
        .execute();
      found.push(
        ...rows.map((row) => ({
          imageId: row.image_id,
          user: row.user_name,
          className: row.class_name,
          at: row.created_at,
        })),
      );
    }
    return found.sort((a, b) => a.at - b.at);
  }
}
