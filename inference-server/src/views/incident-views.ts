import type {
  IncidentReport as ReportRows,
  ReportedIncident,
  TimelineEvent,
} from '../incidents/incident-service.ts';
import type { LogbookEntry as LogbookEntryRow } from '../incidents/matching.ts';
import type { LeadFigures as LeadFigureRows } from '../incidents/report.ts';
import type { Term } from '../incidents/terms.ts';
import type {
  Incident,
  IncidentReport,
  IncidentTimeline,
  LeadFigures,
  LogbookEntry,
  LogbookTerm,
} from '../schemas/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => ms / 1000;
const secondsOrNull = (ms: number | null) => (ms === null ? null : seconds(ms));

export function logbookEntryView(entry: LogbookEntryRow): LogbookEntry {
  return { ...entry, at: iso(entry.at) };
}

function leadFiguresView(figures: LeadFigureRows): LeadFigures {
  return {
    detector: figures.detector,
    incidents: figures.incidents,
    matched: figures.matched,
    unmatched: figures.unmatched,
    medianLeadSeconds: secondsOrNull(figures.medianLeadMs),
    worstLeadSeconds: secondsOrNull(figures.worstLeadMs),
    totalLeadSeconds: seconds(figures.totalLeadMs),
    beamOnLeadSeconds: seconds(figures.beamOnLeadMs),
  };
}

export function incidentView({ incident, entry, leadMs, beamOnLeadMs }: ReportedIncident): Incident {
  return {
    key: incident.key,
    plotTypeId: incident.plotType.id,
    plotType: incident.plotType.name,
    detector: incident.plotType.group,
    firstFlagAt: iso(incident.firstFlagAt),
    lastFlagAt: iso(incident.lastFlagAt),
    flags: incident.flags,
    runs: incident.runs,
    verdicts: incident.verdicts,
    acknowledgement: incident.acknowledgement && {
      at: iso(incident.acknowledgement.at),
      by: incident.acknowledgement.by,
    },
    logbook: entry && logbookEntryView(entry),
    leadSeconds: secondsOrNull(leadMs),
    beamOnLeadSeconds: seconds(beamOnLeadMs),
  };
}

export function incidentReportView(report: ReportRows): IncidentReport {
  return {
    deployment: report.deployment.name,
    deploymentId: report.deployment.id,
    from: iso(report.from),
    to: iso(report.to),
    gapMinutes: report.gapMs / 60_000,
    windowHours: report.windowMs / 3_600_000,
    beamKnown: report.beamKnown,
    detectors: report.detectors.map(leadFiguresView),
    totals: leadFiguresView(report.totals),
    incidents: report.incidents.map(incidentView),
  };
}

export function incidentTimelineView(timeline: {
  incident: ReportedIncident;
  events: TimelineEvent[];
}): IncidentTimeline {
  return {
    incident: incidentView(timeline.incident),
    events: timeline.events.map((event) => ({ ...event, at: iso(event.at) })),
  };
}

export function logbookTermView(term: Term, plotTypeNames: ReadonlyMap<number, string>): LogbookTerm {
  return {
    term: term.term,
    plotTypes: term.plotTypeIds.map((id) => ({ id, name: plotTypeNames.get(id) ?? String(id) })),
    source: term.source,
  };
}
