import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidInputError, UnknownReferenceError } from '../../../../errors.ts';
import { PredictionList, PredictionQuery, Problem, problemResponses } from '../../../../schemas/index.ts';
import { predictionView } from '../../../../views/api-views.ts';

const predictions: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Live predictions, newest first, by time range, run, plot type and verdict; or those of a reprocessing job',
        querystring: PredictionQuery,
        response: { 200: PredictionList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const { query } = request;
      if (query.plotType !== undefined && query.deployment === undefined) {
        throw new InvalidInputError('plotType needs deployment: plot type names are per deployment');
      }
      let deploymentId: number | undefined;
      let plotTypeId: number | undefined;
      if (query.deployment !== undefined) {
        const deployment = await fastify.catalog.deployments.require(query.deployment);
        deploymentId = deployment.id;
        if (query.plotType !== undefined) {
          const plotType = await fastify.catalog.plotTypes.find(deployment.id, query.plotType);
          if (!plotType) throw new UnknownReferenceError(`plot type "${query.plotType}" is not registered`);
          plotTypeId = plotType.id;
        }
      }
      const rows = await fastify.catalog.predictions.list({
        deploymentId,
        plotTypeId,
        runNumber: query.run,
        verdict: query.verdict,
        from: query.from === undefined ? undefined : Date.parse(query.from),
        to: query.to === undefined ? undefined : Date.parse(query.to),
        reprocessJobId: query.reprocessJobId,
        limit: query.limit,
        offset: query.offset,
      });
      return { items: rows.map(predictionView) };
    },
  );
};

export default predictions;
