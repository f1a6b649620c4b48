import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlotList, PlotsQuery, Problem, problemResponses, type Plot } from '../../../../schemas/index.ts';
import { imageView, predictionView } from '../../../../views/api-views.ts';

const plots: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'The latest image and verdict of every plot type of a deployment: what the plot grid shows',
        querystring: PlotsQuery,
        response: { 200: PlotList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const deployment = await fastify.catalog.requireDeployment(request.query.deployment);
      const latest = await fastify.catalog.latestPlots(deployment.id);
      const items = await Promise.all(
        latest.map(async ({ plotType, image, prediction }): Promise<Plot> => ({
          plotType: {
            id: plotType.id,
            name: plotType.name,
            group: plotType.group_name,
            title: plotType.title,
            activeModelVersionId: plotType.active_model_version_id,
          },
          state: image?.status ?? 'empty',
          classes: (await fastify.catalog.listClasses(plotType.id)).map(({ name, colour, severity }) => ({
            name,
            colour,
            severity,
          })),
          image: image ? imageView(image) : null,
          prediction: prediction ? predictionView(prediction) : null,
        })),
      );
      return { deployment: deployment.name, items };
    },
  );
};

export default plots;
