import type { Repositories } from '../catalog/catalog.ts';
import type { Plot } from '../schemas/index.ts';
import { imageView, predictionView } from './api-views.ts';

/** The newest image of each plot type of a deployment, with its latest verdict and classes: the plot grid. */
export async function latestPlots(catalog: Repositories, deploymentId: number): Promise<Plot[]> {
  const cells = await catalog.plotGrid.forDeployment(deploymentId);
  return cells.map(({ plotType, classes, image, verdict }): Plot => ({
    plotType: {
      id: plotType.id,
      name: plotType.name,
      group: plotType.group_name,
      title: plotType.title,
      activeModelVersionId: plotType.active_model_version_id,
    },
    state: image?.status ?? 'empty',
    classes: classes.map(({ name, colour, severity }) => ({ name, colour, severity })),
    image: image ? imageView(image) : null,
    prediction: verdict ? predictionView(verdict) : null,
  }));
}
