import type { Kysely } from 'kysely';
import { CLASS_SEVERITIES, type ClassSeverity } from '../../enums.ts';
import type { Database } from '../database.ts';

/** One plot type's images in one run, aggregated over their latest verdicts (the image rows' copies). */
export interface RunCellRow {
  plot_type_id: number;
  images: number;
  worst: { severity: ClassSeverity; verdict: string } | null;
  /** Images whose latest verdict is of the severity asked for as Bad. */
  bad: number;
  first_bad_at: number | null;
  latest_image_id: number | null;
  /** Labels of source `override` given to the cell's images, superseded ones included. */
  overrides: number;
}

export interface RunWithCells {
  id: number;
  number: number;
  started_at: number;
  ended_at: number | null;
  /** Only the plot types that have images in the run. */
  cells: RunCellRow[];
}

export interface RunRange {
  fromRun?: number;
  toRun?: number;
  limit: number;
}

const count = (value: number | string | bigint | null) => Number(value ?? 0);

/** The images of one run, plot type and latest verdict: what the index groups in order, before the fold. */
interface VerdictGroup {
  run_id: number | null;
  plot_type_id: number;
  verdict: string | null;
  severity: ClassSeverity | null;
  images: number | string | bigint;
  first_captured_at: number | string;
  first_image_id: number | string;
  latest_image_id: number | string;
}

/** Folds a cell's verdict groups (a few per cell) into the cell. */
function foldCell(groups: VerdictGroup[], bad: ClassSeverity): Omit<RunCellRow, 'overrides'> {
  const rank = (severity: ClassSeverity | null) =>
    severity === null ? -1 : CLASS_SEVERITIES.indexOf(severity);
  // The worst severity; among classes of that severity, the greatest name (one answer whatever the row order).
  const worse = (a: VerdictGroup, b: VerdictGroup) =>
    rank(a.severity) - rank(b.severity) || a.verdict!.localeCompare(b.verdict!);
  const worst = groups
    .filter((group) => group.severity !== null && group.verdict !== null)
    .reduce<VerdictGroup | undefined>(
      (found, group) => (!found || worse(group, found) > 0 ? group : found),
      undefined,
    );
  const badGroups = groups.filter((group) => group.severity === bad);
  return {
    plot_type_id: groups[0]!.plot_type_id,
    images: groups.reduce((sum, group) => sum + count(group.images), 0),
    worst: worst ? { severity: worst.severity!, verdict: worst.verdict! } : null,
    bad: badGroups.reduce((sum, group) => sum + count(group.images), 0),
    first_bad_at: badGroups.length
      ? Math.min(...badGroups.map((group) => Number(group.first_captured_at)))
      : null,
    latest_image_id: Math.max(...groups.map((group) => Number(group.latest_image_id))),
  };
}

/** The Runs table and the Browse view: per-run, per-plot-type aggregates of a deployment's images, in SQL. */
export class RunSummariesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The deployment's runs in the range, newest first, each with its cells. */
  async runsWithCells(deploymentId: number, range: RunRange, bad: ClassSeverity): Promise<RunWithCells[]> {
    const runs = await this.db
      .selectFrom('run')
      .select(['id', 'number', 'started_at', 'ended_at'])
      .where('deployment_id', '=', deploymentId)
      .$if(range.fromRun !== undefined, (q) => q.where('number', '>=', range.fromRun!))
      .$if(range.toRun !== undefined, (q) => q.where('number', '<=', range.toRun!))
      .orderBy('number', 'desc')
      .limit(range.limit)
      .execute();
    if (runs.length === 0) return [];
    const runIds = runs.map((run) => run.id);
    const groups = await this.verdictGroups(runIds);
    const overrides = groups.length
      ? await this.overrides(runIds, {
          from: Math.min(...groups.map((group) => Number(group.first_image_id))),
          to: Math.max(...groups.map((group) => Number(group.latest_image_id))),
        })
      : [];
    const overridesOf = new Map(
      overrides.map((row) => [`${row.run_id}:${row.plot_type_id}`, count(row.count)]),
    );
    const groupsOf = new Map<string, VerdictGroup[]>();
    for (const group of groups) {
      const key = `${group.run_id}:${group.plot_type_id}`;
      groupsOf.set(key, [...(groupsOf.get(key) ?? []), group]);
    }
    return runs.map((run) => ({
      ...run,
      cells: [...groupsOf.entries()]
        .filter(([key]) => key.startsWith(`${run.id}:`))
        .map(([key, cell]) => ({ ...foldCell(cell, bad), overrides: overridesOf.get(key) ?? 0 }))
        .sort((a, b) => a.plot_type_id - b.plot_type_id),
    }));
  }

  /** The id of each plot type's latest image (the last received) in the run. */
  async latestImageIds(runId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('image')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('run_id', '=', runId)
      .groupBy('plot_type_id')
      .execute();
    return rows.map((row) => Number(row.id));
  }

  /**
   * The runs' images grouped by run, plot type and latest verdict, in the order of the (run_id, plot_type_id,
   * verdict, captured_at, id) index, which holds every column read; the few groups then meet the class table.
   */
  private verdictGroups(runIds: number[]): Promise<VerdictGroup[]> {
    const grouped = this.db
      .selectFrom('image')
      .select((eb) => [
        'image.run_id',
        'image.plot_type_id',
        'image.verdict',
        eb.fn.countAll<number | string>().as('images'),
        eb.fn.min('image.captured_at').as('first_captured_at'),
        eb.fn.min('image.id').as('first_image_id'),
        eb.fn.max('image.id').as('latest_image_id'),
      ])
      .where('image.run_id', 'in', runIds)
      .groupBy(['image.run_id', 'image.plot_type_id', 'image.verdict'])
      .as('grouped');
    return this.db
      .selectFrom(grouped)
      .leftJoin('class', (join) =>
        join
          .onRef('class.plot_type_id', '=', 'grouped.plot_type_id')
          .onRef('class.name', '=', 'grouped.verdict'),
      )
      .select([
        'grouped.run_id',
        'grouped.plot_type_id',
        'grouped.verdict',
        'class.severity',
        'grouped.images',
        'grouped.first_captured_at',
        'grouped.first_image_id',
        'grouped.latest_image_id',
      ])
      .execute();
  }

  /**
   * Override labels of the runs' images. The images' id range bounds the scan of the (source, image_id) index to
   * the labels of images stored while the runs took data, not every override ever given.
   */
  private overrides(runIds: number[], imageIds: { from: number; to: number }) {
    return this.db
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select((eb) => ['image.run_id', 'image.plot_type_id', eb.fn.countAll<number | string>().as('count')])
      .where('label.source', '=', 'override')
      .where('label.image_id', '>=', imageIds.from)
      .where('label.image_id', '<=', imageIds.to)
      .where('image.run_id', 'in', runIds)
      .groupBy(['image.run_id', 'image.plot_type_id'])
      .execute();
  }
}
