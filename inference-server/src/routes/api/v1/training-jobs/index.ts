import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Id,
  IdParams,
  Problem,
  problemResponses,
  TrainingJob,
  TrainingJobList,
} from '../../../../schemas/index.ts';
import { trainingJobView } from '../../../../views/api-views.ts';

const trainingJobs: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Training jobs, newest first',
        querystring: Type.Object({ plotTypeId: Type.Optional(Id) }),
        response: { 200: TrainingJobList, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await fastify.catalog.trainingJobs.list(request.query.plotTypeId)).map(trainingJobView),
    }),
  );

  fastify.get(
    '/:id',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'A training job: status, progress (epoch, step, loss, accuracy, ETA), log, and the version it made',
        params: IdParams,
        response: { 200: TrainingJob, ...problemResponses, 404: Problem },
      },
    },
    async (request) => trainingJobView(await fastify.catalog.trainingJobs.get(request.params.id)),
  );

  fastify.post(
    '/:id/cancel',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          'Cancel a queued or running job: a queued one ends at once; one that has started ends as soon as its ' +
          'worker stops (poll the job or watch the event stream)',
        params: IdParams,
        response: { 200: TrainingJob, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request) => fastify.trainingQueue.cancel(request.params.id),
  );
};

export default trainingJobs;
