import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { labelerFilters, labelerOrder, labelerQuery } from '../../../../labels/labeler-filters.ts';
import { timeRange } from '../../../../http/ranges.ts';
import {
  AppliedLabels,
  IdParams,
  LabelBatch,
  LabelBatchList,
  LabelBatchQuery,
  LabelBody,
  LabelByFilterBody,
  LabelByFilterResult,
  LabelCount,
  LabelCountQuery,
  LabeledImageList,
  LabelQuery,
  Leaderboard,
  LeaderboardQuery,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { labelBatchView, labeledImageView, labelView, leaderboardView } from '../../../../views/api-views.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

const labels: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('label'),
      schema: {
        summary:
          'Label images of one plot type with a class, as one undoable batch; the previous labels are kept as history',
        body: LabelBody,
        response: { 201: AppliedLabels, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const { imageIds, class: className, source = 'labeler', applyId } = request.body;
      const { batch, labels: rows } = await fastify.labeling.label({
        imageIds,
        className,
        source,
        user: request.actor!,
        applyId,
      });
      return reply.code(201).send({ items: rows.map(labelView), batchId: batch.id });
    },
  );

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'A page of images with their current label and latest verdict, filtered, in an order (newest, by run, or an active-learning score); GET /labels/count counts them',
        querystring: LabelQuery,
        response: { 200: LabeledImageList, ...problemResponses },
      },
    },
    async (request) => {
      const rows = await fastify.catalog.labels.labelerImages(labelerQuery(request.query));
      return { items: rows.map(labeledImageView) };
    },
  );

  fastify.get(
    '/count',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'How many images GET /labels lists with these filters and order: asked once per filter, not with each page',
        querystring: LabelCountQuery,
        response: { 200: LabelCount, ...problemResponses },
      },
    },
    async (request) => ({ total: await fastify.catalog.labels.labelerCount(labelerOrder(request.query)) }),
  );

  fastify.post(
    '/by-filter',
    {
      onRequest: fastify.requireRight('label'),
      schema: {
        summary: 'Label every image the filters match, if they still match the count the user confirmed',
        body: LabelByFilterBody,
        response: { 201: LabelByFilterResult, ...problemResponses, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { query, class: className, expectedCount, applyId } = request.body;
      const batch = await fastify.labeling.labelByFilter({
        filters: labelerFilters(query),
        className,
        expectedCount,
        user: request.actor!,
        applyId,
      });
      return reply.code(201).send({ batchId: batch.id, count: batch.count });
    },
  );

  fastify.get(
    '/batches',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Label batches (applies), newest first',
        querystring: LabelBatchQuery,
        response: { 200: LabelBatchList, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await fastify.catalog.labelBatches.list(request.query)).map(labelBatchView),
    }),
  );

  for (const action of ['undo', 'redo'] as const) {
    fastify.post(
      `/batches/:id/${action}`,
      {
        onRequest: fastify.requireRight('label'),
        schema: {
          summary:
            action === 'undo'
              ? 'Undo a batch: restore exactly the labels that were current before it (or none)'
              : 'Redo an undone batch',
          params: IdParams,
          response: { 200: LabelBatch, ...problemResponses, 404: Problem, 409: Problem },
        },
      },
      async (request) => labelBatchView(await fastify.labeling[action](request.params.id, request.actor!)),
    );
  }

  fastify.get(
    '/leaderboard',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Labels per person and per hour over a period (default: the last 7 days), undone batches left out',
        querystring: LeaderboardQuery,
        response: { 200: Leaderboard, ...problemResponses },
      },
    },
    async (request) => {
      const { deploymentId } = request.query;
      const range = timeRange(request.query.from, request.query.to);
      const to = range.to ?? Date.now();
      const board = await fastify.catalog.labels.leaderboard({
        from: range.from ?? to - WEEK_MS,
        to,
        deploymentId,
      });
      return leaderboardView(board);
    },
  );
};

export default labels;
