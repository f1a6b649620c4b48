import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, problemResponses, SummaryList, SummaryQuery } from '../../../../schemas/index.ts';
import { deploymentSummaries } from '../../../../runs/run-summaries.ts';

const summary: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Per deployment: labeled and total images, active models, images per hour, runs with a Bad plot',
        querystring: SummaryQuery,
        response: { 200: SummaryList, ...problemResponses, 404: Problem },
      },
    },
    (request) => deploymentSummaries(fastify.catalog, request.query.deployment),
  );
};

export default summary;
