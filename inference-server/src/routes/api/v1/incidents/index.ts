import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ServiceUnavailableError } from '../../../../errors.ts';
import { IncidentService, reportRequest } from '../../../../incidents/incident-service.ts';
import { incidentReportCsv } from '../../../../incidents/report-csv.ts';
import { incidentReportPoints } from '../../../../influx/incident-points.ts';
import {
  IncidentKeyParams,
  IncidentPointsResult,
  IncidentReport,
  IncidentReportCsv,
  IncidentReportQuery,
  IncidentTimeline,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { incidentReportView, incidentTimelineView } from '../../../../views/incident-views.ts';

const incidents: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = new IncidentService(fastify.catalog);
  const report = async (query: IncidentReportQuery) =>
    incidentReportView(await service.report(reportRequest(query)));

  fastify.get(
    '/report',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "A deployment's incidents of a period (default: the trailing 7 days), each matched to its first logbook mention, with the monitor's lead times per detector",
        querystring: IncidentReportQuery,
        response: { 200: IncidentReport, ...problemResponses, 404: Problem },
      },
    },
    async (request) => report(request.query),
  );

  // The prefix and this path make /api/v1/incidents/report.csv.
  fastify.get(
    '/report.csv',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "The report's incidents as CSV, one row each, matched or not",
        querystring: IncidentReportQuery,
        produces: ['text/csv'],
        response: { 200: IncidentReportCsv, ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      const csv = incidentReportCsv(await report(request.query));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="hydra-incidents.csv"')
        .send(csv);
    },
  );

  fastify.post(
    '/report/influx',
    {
      onRequest: fastify.requireRight('expert'),
      schema: {
        summary:
          "Write the report's figures to InfluxDB (hydra_incident_report per detector at the period's end, hydra_incident per incident) for a Grafana panel; again overwrites them",
        querystring: IncidentReportQuery,
        response: { 200: IncidentPointsResult, ...problemResponses, 404: Problem, 503: Problem },
      },
    },
    async (request) => {
      const writer = fastify.pointWriter;
      if (!writer)
        throw new ServiceUnavailableError('InfluxDB is off: set HYDRA_INFLUX_URL to write the figures');
      const points = incidentReportPoints(await report(request.query));
      writer.write(points);
      await writer.flush();
      return { points: points.length };
    },
  );

  fastify.get(
    '/:key',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          "One incident of the report's period and what happened to it: first flag, acknowledgement, override, first logbook mention, last flag",
        params: IncidentKeyParams,
        querystring: IncidentReportQuery,
        response: { 200: IncidentTimeline, ...problemResponses, 404: Problem },
      },
    },
    async (request) =>
      incidentTimelineView(await service.timeline(reportRequest(request.query), request.params.key)),
  );
};

export default incidents;
