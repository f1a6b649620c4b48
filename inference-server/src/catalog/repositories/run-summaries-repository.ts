import { sql, type Kysely } from 'kysely';
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

// A verdict's class severity as a sortable digit: max() over "digit + verdict" finds the worst verdict in one pass.
const severityRank = sql<string | null>`case ${sql.ref('class.severity')} ${sql.join(
  CLASS_SEVERITIES.map((severity, rank) => sql`when ${sql.lit(severity)} then ${sql.lit(String(rank))}`),
  sql` `,
)} end`;

function decodeWorst(ranked: string | null): RunCellRow['worst'] {
  if (ranked === null) return null;
  return { severity: CLASS_SEVERITIES[Number(ranked[0])]!, verdict: ranked.slice(1) };
}

const count = (value: number | string | bigint | null) => Number(value ?? 0);
const timeOrNull = (value: number | string | null) => (value === null ? null : Number(value));

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
    const cells = await this.cells(runIds, bad);
    const overrides = cells.length
      ? await this.overrides(runIds, {
          from: Math.min(...cells.map((cell) => Number(cell.first_image_id))),
          to: Math.max(...cells.map((cell) => Number(cell.latest_image_id))),
        })
      : [];
    const overridesOf = new Map(
      overrides.map((row) => [`${row.run_id}:${row.plot_type_id}`, count(row.count)]),
    );
    return runs.map((run) => ({
      ...run,
      cells: cells
        .filter((cell) => cell.run_id === run.id)
        .map((cell) => ({
          plot_type_id: cell.plot_type_id,
          images: count(cell.images),
          worst: decodeWorst(cell.worst),
          bad: count(cell.bad),
          first_bad_at: timeOrNull(cell.first_bad_at),
          latest_image_id: cell.latest_image_id === null ? null : Number(cell.latest_image_id),
          overrides: overridesOf.get(`${run.id}:${cell.plot_type_id}`) ?? 0,
        })),
    }));
  }

  /** The run's id, or undefined when the deployment has no run of that number. */
  async findRun(deploymentId: number, number: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('run')
      .select('id')
      .where('deployment_id', '=', deploymentId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row?.id;
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

  private cells(runIds: number[], bad: ClassSeverity) {
    const isBad = sql<boolean>`${sql.ref('class.severity')} = ${sql.lit(bad)}`;
    return this.db
      .selectFrom('image')
      .leftJoin('class', (join) =>
        join.onRef('class.plot_type_id', '=', 'image.plot_type_id').onRef('class.name', '=', 'image.verdict'),
      )
      .select((eb) => [
        'image.run_id',
        'image.plot_type_id',
        eb.fn.countAll<number | string>().as('images'),
        eb.fn.max(sql<string | null>`${severityRank} || ${sql.ref('image.verdict')}`).as('worst'),
        eb.fn.sum<number | string | null>(sql`case when ${isBad} then 1 else 0 end`).as('bad'),
        eb.fn
          .min<number | string | null>(sql`case when ${isBad} then ${sql.ref('image.captured_at')} end`)
          .as('first_bad_at'),
        eb.fn.max('image.id').as('latest_image_id'),
        eb.fn.min('image.id').as('first_image_id'),
      ])
      .where('image.run_id', 'in', runIds)
      .groupBy(['image.run_id', 'image.plot_type_id'])
      .orderBy('image.plot_type_id')
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
