import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlotList, PlotsQuery, Problem, problemResponses } from '../../../../schemas/index.ts';
import { latestPlots } from '../../../../views/latest-plots.ts';

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
      const deployment = await fastify.catalog.deployments.require(request.query.deployment);
      const items = await latestPlots(fastify.catalog, deployment.id);
      return { deployment: deployment.name, items };
    },
  );
};

export default plots;
