import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { logCsv, logFilter } from '../../../../log/log-export.ts';
import {
  AcknowledgementBody,
  LogCsv,
  LogCsvQuery,
  LogEntry,
  LogList,
  LogQuery,
  PredictionIdParams,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { logEntryView } from '../../../../views/api-views.ts';

const log: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'The monitoring log: non-Good verdicts, newest first (default: the trailing 24 h), with the total',
        querystring: LogQuery,
        response: { 200: LogList, ...problemResponses },
      },
    },
    async (request) => {
      const filter = logFilter(request.query);
      const { limit, offset } = request.query;
      const [rows, total] = await Promise.all([
        fastify.catalog.log.list(filter, { limit, offset }),
        fastify.catalog.log.count(filter),
      ]);
      return { items: rows.map(logEntryView), total };
    },
  );

  // The prefix and this path make /api/v1/log.csv.
  fastify.get(
    '.csv',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'The monitoring log as CSV: every matching entry, streamed, a header row first',
        querystring: LogCsvQuery,
        produces: ['text/csv'],
        response: { 200: LogCsv, ...problemResponses },
      },
    },
    async (request, reply) => {
      const filter = logFilter(request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="hydra-log.csv"')
        .send(Readable.from(logCsv(fastify.catalog.log, filter)));
    },
  );

  fastify.put(
    '/:predictionId/acknowledgement',
    {
      onRequest: fastify.requireRight('label'),
      schema: {
        summary:
          'Acknowledge a log entry (who and when are recorded, with an optional comment); again replaces it',
        params: PredictionIdParams,
        body: AcknowledgementBody,
        response: { 200: LogEntry, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const { name } = request.actor!;
      const comment = request.body.comment?.trim() || null;
      return logEntryView(await fastify.catalog.log.acknowledge(request.params.predictionId, name, comment));
    },
  );
};

export default log;
