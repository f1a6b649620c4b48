import type { Repositories } from '../catalog/catalog.ts';
import type { Plot } from '../schemas/index.ts';
import { imageView, predictionView } from './api-views.ts';

/** The newest image of each plot type of a deployment, with its latest verdict and classes: the plot grid. */
export async function latestPlots(catalog: Repositories, deploymentId: number): Promise<Plot[]> {
  // Four statements at once: on PostgreSQL, each on its own connection, so the grid waits for one round trip.
  const [plotTypes, images, classes, verdicts] = await Promise.all([
    catalog.plotTypes.list(deploymentId),
    catalog.images.latestPerPlotType(deploymentId),
    catalog.plotTypes.listClassesOfDeployment(deploymentId),
    catalog.predictions.latestForNewestImages(deploymentId),
  ]);
  const imageByPlotType = new Map(images.map((image) => [image.plot_type_id, image]));
  const classesByPlotType = new Map<number, typeof classes>();
  for (const row of classes)
    classesByPlotType.set(row.plot_type_id, [...(classesByPlotType.get(row.plot_type_id) ?? []), row]);
  return plotTypes.map((plotType): Plot => {
    const image = imageByPlotType.get(plotType.id) ?? null;
    const verdict = image && verdicts.get(image.id);
    return {
      plotType: {
        id: plotType.id,
        name: plotType.name,
        group: plotType.group_name,
        title: plotType.title,
        activeModelVersionId: plotType.active_model_version_id,
      },
      state: image?.status ?? 'empty',
      classes: (classesByPlotType.get(plotType.id) ?? []).map(({ name, colour, severity }) => ({
        name,
        colour,
        severity,
      })),
      image: image ? imageView(image) : null,
      prediction: verdict ? predictionView(verdict) : null,
    };
  });
}
