import type { IPoint } from 'influx';
import type { Incident, IncidentReport, LeadFigures } from '../schemas/index.ts';

/** Epoch ms as InfluxDB's nanoseconds, with `salt` in the sub-millisecond digits so two series never collide. */
const nanoseconds = (ms: number, salt = 0) =>
  (BigInt(ms) * 1_000_000n + BigInt(Math.abs(salt) % 1_000_000)).toString();

/** Figures of a detector, or of all of them (`all`), at the period's end: one Grafana table or bar panel. */
function reportPoint(report: IncidentReport, figures: LeadFigures): IPoint {
  const fields: Record<string, number> = {
    incidents: figures.incidents,
    matched: figures.matched,
    unmatched: figures.unmatched,
    total_lead_s: figures.totalLeadSeconds,
    beam_on_lead_h: figures.beamOnLeadSeconds / 3600,
  };
  if (figures.medianLeadSeconds !== null) fields.median_lead_s = figures.medianLeadSeconds;
  if (figures.worstLeadSeconds !== null) fields.worst_lead_s = figures.worstLeadSeconds;
  return {
    measurement: 'hydra_incident_report',
    tags: { deployment: report.deployment, detector: figures.detector ?? 'all' },
    fields,
    timestamp: nanoseconds(Date.parse(report.to)),
  };
}

/** One incident at its first flag, with its lead time when the logbook mentioned it: a time-series panel. */
function incidentPoint(report: IncidentReport, incident: Incident): IPoint {
  const fields: Record<string, number> = {
    flags: incident.flags,
    beam_on_lead_s: incident.beamOnLeadSeconds,
  };
  if (incident.leadSeconds !== null) fields.lead_s = incident.leadSeconds;
  return {
    measurement: 'hydra_incident',
    tags: {
      deployment: report.deployment,
      detector: incident.detector,
      plot_type: incident.plotType,
      matched: String(incident.logbook !== null),
    },
    fields,
    timestamp: nanoseconds(Date.parse(incident.firstFlagAt), incident.key),
  };
}

/**
 * The report's points: the figures per detector and in all, and every incident. Their timestamps are fixed, so
 * writing the same period again overwrites its points instead of adding to them.
 */
export function incidentReportPoints(report: IncidentReport): IPoint[] {
  return [
    ...report.detectors.map((figures) => reportPoint(report, figures)),
    reportPoint(report, report.totals),
    ...report.incidents.map((incident) => incidentPoint(report, incident)),
  ];
}
