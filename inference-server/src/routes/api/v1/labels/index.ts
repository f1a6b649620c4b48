import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  LabelBody,
  LabeledImageList,
  LabelList,
  LabelQuery,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { labeledImageView, labelView } from '../../../../views/api-views.ts';

const labels: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('label'),
      schema: {
        summary:
          'Label images with a class (an override from the plot grid, or the labeler); the previous label is kept as history',
        body: LabelBody,
        response: { 201: LabelList, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const { imageIds, class: className, source = 'labeler' } = request.body;
      const rows = await fastify.labeling.label({ imageIds, className, source, user: request.principal! });
      return reply.code(201).send({ items: rows.map(labelView) });
    },
  );

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Images with their current label and latest verdict: all, labeled, unlabeled, or where label and verdict disagree',
        querystring: LabelQuery,
        response: { 200: LabeledImageList, ...problemResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const rows = await fastify.catalog.labels.labelerImages({
        plotTypeId: query.plotTypeId,
        runFrom: query.runFrom,
        runTo: query.runTo,
        from: query.from === undefined ? undefined : Date.parse(query.from),
        to: query.to === undefined ? undefined : Date.parse(query.to),
        filter: query.filter,
        limit: query.limit,
        offset: query.offset,
      });
      return { items: rows.map(labeledImageView) };
    },
  );
};

export default labels;
