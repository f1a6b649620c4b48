import type {
  ConfusionCell,
  LiveVersionCount,
  ReprocessPair,
} from '../catalog/repositories/reprocess-comparisons-repository.ts';
import type { ReprocessJobRow } from '../catalog/repositories/reprocess-jobs-repository.ts';
import type { ReprocessComparison, ReprocessJob } from '../schemas/index.ts';
import { iso, isoOrNull } from './api-views.ts';

// Reprocessing jobs and their comparisons → the API's shapes.

/** Time left at the job's rate so far: null until it has settled an image, 0 once it has ended. */
function etaSeconds(row: ReprocessJobRow, now: number): number | null {
  if (row.status === 'completed' || row.status === 'cancelled') return 0;
  const settled = row.done + row.failed;
  if (row.started_at === null || settled === 0) return null;
  const secondsPerImage = (now - row.started_at) / 1000 / settled;
  return Math.round(secondsPerImage * (row.total - settled));
}

export function reprocessJobView(row: ReprocessJobRow, now = Date.now()): ReprocessJob {
  return {
    id: row.id,
    deployment: row.deployment,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    modelVersionId: row.model_version_id,
    model: row.model_name,
    modelVersion: row.model_version,
    runFrom: row.run_from,
    runTo: row.run_to,
    from: isoOrNull(row.time_from),
    to: isoOrNull(row.time_to),
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    etaSeconds: etaSeconds(row, now),
    createdBy: row.created_by,
    cancelledBy: row.cancelled_by,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

/** A job's verdicts beside the live ones: counts, the confusion between the two, and a page of the pairs. */
export function reprocessComparisonView(
  job: ReprocessJobRow,
  confusion: ConfusionCell[],
  liveVersions: LiveVersionCount[],
  pairs: ReprocessPair[],
): ReprocessComparison {
  let reprocessed = 0;
  let compared = 0;
  let agreed = 0;
  for (const cell of confusion) {
    reprocessed += cell.count;
    if (cell.live === null) continue;
    compared += cell.count;
    if (cell.live === cell.reprocessed) agreed += cell.count;
  }
  return {
    job: reprocessJobView(job),
    reprocessed,
    compared,
    agreed,
    agreement: compared === 0 ? null : agreed / compared,
    liveVersions,
    confusion,
    pairs: pairs.map((pair) => ({ ...pair, capturedAt: iso(pair.capturedAt) })),
  };
}
