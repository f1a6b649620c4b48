import type { Repositories } from '../catalog/catalog.ts';
import type { DeploymentRow } from '../catalog/repositories/deployments-repository.ts';
import type { ClassSeverity } from '../enums.ts';
import { InvalidInputError, NotFoundError, quoted } from '../errors.ts';
import type { RunPlots, RunPlotType, RunsSummary, RunsSummaryQuery, SummaryList } from '../schemas/index.ts';
import { imageView, predictionView } from '../views/api-views.ts';

/** A plot is Bad when its latest verdict is a class of this severity (what raises the alarm). */
export const BAD_SEVERITY: ClassSeverity = 'alarm';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The deployment a request names; an unknown one is a 404 that names it. */
export async function requireDeployment(catalog: Repositories, name: string): Promise<DeploymentRow> {
  const deployment = await catalog.deployments.find(name);
  if (!deployment) throw new NotFoundError(`deployment ${quoted(name)} is not registered`);
  return deployment;
}

async function plotTypeColumns(catalog: Repositories, deploymentId: number): Promise<RunPlotType[]> {
  return (await catalog.plotTypes.list(deploymentId)).map((plotType) => ({
    id: plotType.id,
    name: plotType.name,
    group: plotType.group_name,
    title: plotType.title,
  }));
}

/** The Runs table: per run and plot type, the images' worst verdict, their Bad ones and overrides. */
export async function runsSummary(catalog: Repositories, query: RunsSummaryQuery): Promise<RunsSummary> {
  const { fromRun, toRun, limit } = query;
  if (fromRun !== undefined && toRun !== undefined && fromRun > toRun) {
    throw new InvalidInputError(`fromRun (${fromRun}) is after toRun (${toRun}): swap them`);
  }
  const deployment = await requireDeployment(catalog, query.deployment);
  const [plotTypes, runs] = await Promise.all([
    plotTypeColumns(catalog, deployment.id),
    catalog.runSummaries.runsWithCells(deployment.id, { fromRun, toRun, limit }, BAD_SEVERITY),
  ]);
  return {
    deployment: deployment.name,
    plotTypes,
    runs: runs.map((run) => {
      const badCells = run.cells.filter((cell) => cell.bad > 0);
      const firstBadAt = badCells.map((cell) => cell.first_bad_at!).sort((a, b) => a - b)[0] ?? null;
      return {
        number: run.number,
        startedAt: iso(run.started_at),
        endedAt: isoOrNull(run.ended_at),
        badPlots: badCells.length,
        firstBadAt: isoOrNull(firstBadAt),
        overrides: run.cells.reduce((sum, cell) => sum + cell.overrides, 0),
        cells: run.cells.map((cell) => ({
          plotTypeId: cell.plot_type_id,
          images: cell.images,
          worstVerdict: cell.worst?.verdict ?? null,
          worstSeverity: cell.worst?.severity ?? null,
          bad: cell.bad,
          firstBadAt: isoOrNull(cell.first_bad_at),
          overrides: cell.overrides,
          latestImageId: cell.latest_image_id,
        })),
      };
    }),
  };
}

/** The Browse view of a run: each plot type's latest image in it, its latest verdict and its reference. */
export async function runPlots(
  catalog: Repositories,
  deploymentName: string,
  run: number,
): Promise<RunPlots> {
  const deployment = await requireDeployment(catalog, deploymentName);
  const runId = await catalog.runs.find(deployment.id, run);
  const imageIds = runId === undefined ? [] : await catalog.runSummaries.latestImageIds(runId);
  if (imageIds.length === 0) {
    throw new NotFoundError(`run ${run} of deployment ${quoted(deployment.name)} has no images`);
  }
  const [plotTypes, images, verdicts] = await Promise.all([
    plotTypeColumns(catalog, deployment.id),
    catalog.images.list(imageIds),
    catalog.predictions.latestForImages(imageIds),
  ]);
  const imageOf = new Map(images.map((image) => [image.plot_type_id, image]));
  return {
    deployment: deployment.name,
    run,
    items: await Promise.all(
      plotTypes.map(async (plotType) => {
        const image = imageOf.get(plotType.id);
        const verdict = image && verdicts.get(image.id);
        const [reference] = await catalog.references.list(plotType.id);
        return {
          plotType,
          image: image ? imageView(image) : null,
          prediction: verdict ? predictionView(verdict) : null,
          referenceImageId: reference && reference.superseded_at === null ? reference.image_id : null,
        };
      }),
    ),
  };
}

/** Hydra's Summary figures of one deployment, or of every one. */
export async function deploymentSummaries(
  catalog: Repositories,
  deploymentName: string | undefined,
  now = Date.now(),
): Promise<SummaryList> {
  const deployments = deploymentName
    ? [await requireDeployment(catalog, deploymentName)]
    : await catalog.deployments.list();
  const figures = await catalog.summaries.deploymentFigures(
    deployments.map((deployment) => deployment.id),
    now - DAY_MS,
    BAD_SEVERITY,
  );
  const nameOf = new Map(deployments.map((deployment) => [deployment.id, deployment.name]));
  return {
    items: figures.map((row) => ({
      deployment: nameOf.get(row.deployment_id)!,
      labeledImages: row.labeled_images,
      totalImages: row.total_images,
      activeModels: row.active_models,
      imagesPerHour: row.recent_images / 24,
      runsWithBad: row.runs_with_bad,
      classified: row.classified_images,
    })),
  };
}

/** Images captured per UTC day over the last `days` days, today included; days without images count 0. */
export async function imagesPerDay(
  catalog: Repositories,
  deploymentName: string,
  days: number,
  now = Date.now(),
): Promise<{ days: Array<{ day: string; images: number }> }> {
  const deployment = await requireDeployment(catalog, deploymentName);
  const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const counted = new Map(
    (await catalog.summaries.imagesPerDay(deployment.id, firstDay)).map((row) => [row.day, row.images]),
  );
  return {
    days: Array.from({ length: days }, (_, index) => {
      const day = firstDay + index * DAY_MS;
      return { day: iso(day).slice(0, 10), images: counted.get(day) ?? 0 };
    }),
  };
}
