import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Problem,
  problemResponses,
  RunList,
  RunPlots,
  RunPlotsParams,
  RunPlotsQuery,
  RunQuery,
  RunsSummary,
  RunsSummaryQuery,
} from '../../../../schemas/index.ts';
import { runPlots, runsSummary } from '../../../../runs/run-summaries.ts';
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

  fastify.get(
    '/summary',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'The Runs table: per run and plot type, the worst verdict, the Bad plots and the overrides',
        querystring: RunsSummaryQuery,
        response: { 200: RunsSummary, ...problemResponses, 404: Problem },
      },
    },
    (request) => runsSummary(fastify.catalog, request.query),
  );

  fastify.get(
    '/:number/plots',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "Browse a run: each plot type's latest image in it, with its verdict and reference",
        params: RunPlotsParams,
        querystring: RunPlotsQuery,
        response: { 200: RunPlots, ...problemResponses, 404: Problem },
      },
    },
    (request) => runPlots(fastify.catalog, request.query.deployment, request.params.number),
  );
};

export default runs;
