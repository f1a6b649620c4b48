import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Verdict } from '../../pipeline/verdict.ts';
import type { SqlEngine } from '../connection.ts';
import type { ClassRow, Database } from '../database.ts';
import { imagesWithContext, type ImageWithContext, type ImagesRepository } from './images-repository.ts';
import {
  decodeVerdict,
  predictionsWithContext,
  type PredictionWithContext,
  type PredictionsRepository,
} from './predictions-repository.ts';
import { decodePlotType, type PlotTypeRow, type PlotTypesRepository } from './plot-types-repository.ts';

/** One cell of a deployment's plot grid: a plot type, its classes, its newest image and that image's live verdict. */
export interface PlotGridCell {
  plotType: PlotTypeRow;
  classes: ClassRow[];
  image: ImageWithContext | null;
  verdict: Verdict | null;
}

/**
 * The plot grid, read as often as dashboards refresh. On PostgreSQL it is one statement: each statement there is a
 * round trip and a server process woken, and four of them made the grid's slowest requests. SQLite answers in this
 * process, where four simple statements cost less than one built of JSON.
 */
export class PlotGridRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
    private readonly repositories: {
      plotTypes: PlotTypesRepository;
      images: ImagesRepository;
      predictions: PredictionsRepository;
    },
  ) {}

  /** The cells in the grid's order: by group, then by name. */
  async forDeployment(deploymentId: number): Promise<PlotGridCell[]> {
    return this.engine === 'postgres' ? this.inOneStatement(deploymentId) : this.inFour(deploymentId);
  }

  private async inFour(deploymentId: number): Promise<PlotGridCell[]> {
    const { plotTypes, images, predictions } = this.repositories;
    const [types, newest, classes, verdicts] = await Promise.all([
      plotTypes.list(deploymentId),
      images.latestPerPlotType(deploymentId),
      plotTypes.listClassesOfDeployment(deploymentId),
      predictions.latestForNewestImages(deploymentId),
    ]);
    const imageByPlotType = new Map(newest.map((image) => [image.plot_type_id, image]));
    const classesByPlotType = new Map<number, ClassRow[]>();
    for (const row of classes)
      classesByPlotType.set(row.plot_type_id, [...(classesByPlotType.get(row.plot_type_id) ?? []), row]);
    return types.map((plotType) => {
      const image = imageByPlotType.get(plotType.id) ?? null;
      return {
        plotType,
        classes: classesByPlotType.get(plotType.id) ?? [],
        image,
        verdict: (image && verdicts.get(image.id)) ?? null,
      };
    });
  }

  private async inOneStatement(deploymentId: number): Promise<PlotGridCell[]> {
    // The outer plot type is `grid`: the image and prediction subqueries join a `plot_type` of their own.
    const newestImageId = this.db
      .selectFrom('image as newest')
      .select((eb) => eb.fn.max('newest.id').as('id'))
      .where(sql.ref('newest.plot_type_id'), '=', sql.ref('grid.id'));
    const rows = await this.db
      .selectFrom('plot_type as grid')
      .selectAll('grid')
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('class')
            .selectAll('class')
            .whereRef('class.plot_type_id', '=', 'grid.id')
            .orderBy('class.position'),
        ).as('classes'),
        jsonObjectFrom(imagesWithContext(this.db).where('image.id', '=', newestImageId)).as('image'),
        jsonObjectFrom(
          predictionsWithContext(this.db)
            .where('prediction.image_id', '=', newestImageId)
            .where('prediction.reprocess_job_id', 'is', null)
            .orderBy('prediction.id', 'desc')
            .limit(1),
        ).as('verdict'),
      ])
      .where('grid.deployment_id', '=', deploymentId)
      .orderBy('grid.group_name')
      .orderBy('grid.name')
      .execute();
    // JSON keeps every column's value as the driver would give it: numbers (bigints too), strings and nulls.
    return rows.map(({ classes, image, verdict, ...plotType }) => ({
      plotType: decodePlotType(plotType),
      classes: classes as ClassRow[],
      image: image as ImageWithContext | null,
      verdict: verdict && decodeVerdict(verdict as PredictionWithContext),
    }));
  }
}
