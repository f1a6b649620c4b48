import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ImagesPerDay,
  ImagesPerDayQuery,
  Problem,
  problemResponses,
  ServerStatus,
  StatusHistory,
  StatusHistoryQuery,
} from '../../../../schemas/index.ts';
import { imagesPerDay } from '../../../../runs/run-summaries.ts';
import { serverStatus } from '../../../../views/server-status.ts';

const status: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Backend, workers, queue, throughput, latency, catalog, InfluxDB health and image store use',
        response: { 200: ServerStatus, ...problemResponses },
      },
    },
    () => serverStatus(fastify),
  );

  fastify.get(
    '/history',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "This replica's samples of its load (queue, throughput, latency, InfluxDB buffer, workers)",
        querystring: StatusHistoryQuery,
        response: { 200: StatusHistory, ...problemResponses },
      },
    },
    (request) => ({
      intervalSeconds: fastify.statusHistory.intervalMs / 1000,
      samples: fastify.statusHistory.since(request.query.minutes),
    }),
  );

  fastify.get(
    '/images-per-day',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Images captured per UTC day (the heat map)',
        querystring: ImagesPerDayQuery,
        response: { 200: ImagesPerDay, ...problemResponses, 404: Problem },
      },
    },
    (request) => imagesPerDay(fastify.catalog, request.query.deployment, request.query.days),
  );
};

export default status;
