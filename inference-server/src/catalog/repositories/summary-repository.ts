import type { Kysely } from 'kysely';
import { IMAGE_STATUSES, type ClassSeverity } from '../../enums.ts';
import type { Database } from '../database.ts';

/** A deployment's figures, as Hydra's Summary page reports them. */
export interface DeploymentFigures {
  deployment_id: number;
  total_images: number;
  /** Images with a current label. */
  labeled_images: number;
  classified_images: number;
  /** Plot types with an active model version. */
  active_models: number;
  /** Images captured at or after the `since` asked for. */
  recent_images: number;
  /** Runs with at least one image whose latest verdict is of the severity asked for as Bad. */
  runs_with_bad: number;
}

const DAY_MS = 86_400_000;
const UNCLASSIFIED = IMAGE_STATUSES.filter((status) => status !== 'classified');

type Counted = { plot_type_id: number; count: number | string | bigint };

/**
 * The Summary and Status figures, each an SQL aggregate over one index: per plot type (the index's first column),
 * then added up per deployment here, over a few dozen plot types.
 */
export class SummaryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async deploymentFigures(
    deploymentIds: number[],
    since: number,
    bad: ClassSeverity,
  ): Promise<DeploymentFigures[]> {
    if (deploymentIds.length === 0) return [];
    const plotTypes = await this.db
      .selectFrom('plot_type')
      .select(['id', 'deployment_id', 'active_model_version_id'])
      .where('deployment_id', 'in', deploymentIds)
      .execute();
    const ids = plotTypes.map((plotType) => plotType.id);
    const images = this.db.selectFrom('image').where('image.plot_type_id', 'in', ids.length ? ids : [0]);
    const perPlotType = (query: typeof images) =>
      query
        .select((eb) => ['image.plot_type_id', eb.fn.countAll<number | string>().as('count')])
        .groupBy('image.plot_type_id')
        .execute() as Promise<Counted[]>;
    const [total, labeled, unclassified, recent, runsWithBad] = await Promise.all([
      // From the per-day counts the triggers keep: a few hundred rows, not every image.
      this.db
        .selectFrom('image_day_count')
        .select((eb) => ['plot_type_id', eb.fn.sum<number | string>('images').as('count')])
        .where('plot_type_id', 'in', ids.length ? ids : [0])
        .groupBy('plot_type_id')
        .execute(),
      perPlotType(images.where('image.label_class', 'is not', null)),
      // The few images not (yet) classified, from the status index: classified = total − these.
      perPlotType(images.where('image.status', 'in', UNCLASSIFIED)),
      perPlotType(images.where('image.captured_at', '>=', since)),
      this.db
        .selectFrom('image')
        .innerJoin('class', (join) =>
          join
            .onRef('class.plot_type_id', '=', 'image.plot_type_id')
            .onRef('class.name', '=', 'image.verdict'),
        )
        .innerJoin('plot_type', 'plot_type.id', 'image.plot_type_id')
        .select((eb) => [
          'plot_type.deployment_id',
          eb.fn.count<number | string>('image.run_id').distinct().as('count'),
        ])
        .where('class.severity', '=', bad)
        .where('plot_type.deployment_id', 'in', deploymentIds)
        .groupBy('plot_type.deployment_id')
        .execute(),
    ]);
    const deploymentOf = new Map(plotTypes.map((plotType) => [plotType.id, plotType.deployment_id]));
    const figures = new Map(
      deploymentIds.map((id): [number, DeploymentFigures] => [
        id,
        {
          deployment_id: id,
          total_images: 0,
          labeled_images: 0,
          classified_images: 0,
          active_models: 0,
          recent_images: 0,
          runs_with_bad: 0,
        },
      ]),
    );
    const add = (rows: Counted[], field: keyof Omit<DeploymentFigures, 'deployment_id'>, sign = 1) => {
      for (const row of rows)
        figures.get(deploymentOf.get(row.plot_type_id)!)![field] += sign * Number(row.count);
    };
    add(total, 'total_images');
    add(total, 'classified_images');
    add(unclassified, 'classified_images', -1);
    add(labeled, 'labeled_images');
    add(recent, 'recent_images');
    for (const plotType of plotTypes) {
      if (plotType.active_model_version_id !== null) figures.get(plotType.deployment_id)!.active_models++;
    }
    for (const row of runsWithBad) figures.get(row.deployment_id)!.runs_with_bad = Number(row.count);
    return [...figures.values()];
  }

  /** Images captured per UTC day from the day of `since` on, by the day's first millisecond; days without images are left out. */
  async imagesPerDay(deploymentId: number, since: number): Promise<Array<{ day: number; images: number }>> {
    const rows = await this.db
      .selectFrom('image_day_count')
      .innerJoin('plot_type', 'plot_type.id', 'image_day_count.plot_type_id')
      .select((eb) => [
        'image_day_count.day',
        eb.fn.sum<number | string>('image_day_count.images').as('images'),
      ])
      .where('plot_type.deployment_id', '=', deploymentId)
      .where('image_day_count.day', '>=', Math.floor(since / DAY_MS))
      .groupBy('image_day_count.day')
      .orderBy('image_day_count.day')
      .execute();
    return rows.map((row) => ({ day: row.day * DAY_MS, images: Number(row.images) }));
  }
}
