import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, problemResponses, RunList, RunQuery } from '../../../../schemas/index.ts';
import { runView } from '../../../../views/api-views.ts';

const runs: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Runs of a deployment, newest first, with their image counts',
        querystring: RunQuery,
        response: { 200: RunList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const deployment = await fastify.catalog.deployments.require(request.query.deployment);
      const rows = await fastify.catalog.runs.list(deployment.id, request.query.limit, request.query.offset);
      return { items: rows.map(runView) };
    },
  );
};

export default runs;
