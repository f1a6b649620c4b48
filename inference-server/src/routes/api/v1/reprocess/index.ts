import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  Problem,
  problemResponses,
  ReprocessComparison,
  ReprocessComparisonQuery,
  ReprocessJob,
  ReprocessJobList,
  ReprocessJobQuery,
  ReprocessRequest,
} from '../../../../schemas/index.ts';
import { reprocessJobView } from '../../../../views/reprocess-views.ts';

const reprocess: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          "Reprocess a plot type's images of a run range or a capture-time range with a model version (default: the " +
          'active one), behind live images. Its verdicts are stored as predictions of the job: they never replace ' +
          'the live verdicts, and reach neither InfluxDB, EPICS nor the live grid. 201 with the queued job; 422 ' +
          'for an unknown deployment, plot type or version, or a range with no image; 409 for a version that ' +
          'cannot run (retired) or no active version',
        body: ReprocessRequest,
        response: { 201: ReprocessJob, ...problemResponses, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const job = await fastify.reprocessing.create(request.body, request.principal!.name);
      return reply.code(201).send(reprocessJobView(job));
    },
  );

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Reprocessing jobs, newest first (the latest 200)',
        querystring: ReprocessJobQuery,
        response: { 200: ReprocessJobList, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await fastify.reprocessing.list(request.query.plotTypeId)).map((job) => reprocessJobView(job)),
    }),
  );

  fastify.get(
    '/:id',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'A reprocessing job: status, progress (done, failed, total) and ETA; also streamed as `reprocess` events',
        params: IdParams,
        response: { 200: ReprocessJob, ...problemResponses, 404: Problem },
      },
    },
    async (request) => reprocessJobView(await fastify.reprocessing.get(request.params.id)),
  );

  fastify.post(
    '/:id/cancel',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Cancel a queued or running job: its remaining images are not processed (a batch already running ends ' +
          'without storing); the predictions stored so far stay',
        params: IdParams,
        response: { 200: ReprocessJob, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      reprocessJobView(await fastify.reprocessing.cancel(request.params.id, request.principal!.name)),
  );

  fastify.get(
    '/:id/comparison',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "The job's verdicts against the live ones on the same images: agreement, the confusion between the two " +
          'versions, and the pairs image by image (by default the images they disagree on)',
        params: IdParams,
        querystring: ReprocessComparisonQuery,
        response: { 200: ReprocessComparison, ...problemResponses, 404: Problem },
      },
    },
    async (request) => fastify.reprocessing.comparison(request.params.id, request.query),
  );
};

export default reprocess;
