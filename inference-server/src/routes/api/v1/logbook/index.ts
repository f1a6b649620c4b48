import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IncidentService, periodOf } from '../../../../incidents/incident-service.ts';
import { importLogbook } from '../../../../incidents/logbook-import.ts';
import {
  DeploymentIdQuery,
  LOGBOOK_MAX_BYTES,
  LogbookImportBody,
  LogbookImportResult,
  LogbookList,
  LogbookQuery,
  LogbookTermList,
  LogbookTermsBody,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { logbookEntryView, logbookTermView } from '../../../../views/incident-views.ts';

const logbook: FastifyPluginAsyncTypebox = async (fastify) => {
  const incidents = new IncidentService(fastify.catalog);
  const termList = ({ terms, plotTypeNames }: Awaited<ReturnType<IncidentService['terms']>>) => ({
    items: terms.map((term) => logbookTermView(term, plotTypeNames)),
  });

  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('expert'),
      // JSON escapes can make the body larger than the file's text.
      bodyLimit: 2 * LOGBOOK_MAX_BYTES,
      schema: {
        summary:
          "Import a deployment's shift logbook (CSV or JSON lines): the good rows land, the bad ones come back with their line and reason, and entries already imported are not added again",
        body: LogbookImportBody,
        response: { 200: LogbookImportResult, ...problemResponses, 413: Problem, 422: Problem },
      },
    },
    async (request) => importLogbook(fastify.catalog, request.body, request.actor!.name),
  );

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "A deployment's logbook entries of a period, oldest first (default: the trailing 7 days)",
        querystring: LogbookQuery,
        response: { 200: LogbookList, ...problemResponses },
      },
    },
    async (request) => ({
      items: (await fastify.catalog.logbook.list(periodOf(request.query))).map(logbookEntryView),
    }),
  );

  fastify.get(
    '/terms',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "The words that name each plot type in a deployment's logbook: defaults from the plot types' names, titles and groups, and the deployment's own",
        querystring: DeploymentIdQuery,
        response: { 200: LogbookTermList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => termList(await incidents.terms(request.query.deploymentId)),
  );

  fastify.put(
    '/terms',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          "Replace a deployment's own logbook terms (a term given here replaces the default of the same words)",
        querystring: DeploymentIdQuery,
        body: LogbookTermsBody,
        response: { 200: LogbookTermList, ...problemResponses, 404: Problem },
      },
    },
    async (request) => termList(await incidents.replaceTerms(request.query.deploymentId, request.body.terms)),
  );
};

export default logbook;
