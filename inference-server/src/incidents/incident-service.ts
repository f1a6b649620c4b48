// The incident report of a deployment and period: reads the log, the alerts, the logbook, the terms and the beam
// through the repositories, and hands them to the pure grouping, matching and figures.
import type { Repositories } from '../catalog/catalog.ts';
import type { DeploymentRow } from '../catalog/database.ts';
import type { LogCursor } from '../catalog/repositories/log-repository.ts';
import type { OverrideRow } from '../catalog/repositories/incidents-repository.ts';
import type { LogbookRange } from '../catalog/repositories/logbook-repository.ts';
import type { IncidentEventKind } from '../enums.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { timeRange } from '../http/ranges.ts';
import { BeamTimeline } from './beam.ts';
import { groupIncidents, type Flag, type Incident, type PlotTypeRef } from './incidents.ts';
import { matchIncidents, type IncidentMatch } from './matching.ts';
import { beamOnLeadMs, leadFigures, type LeadFigures } from './report.ts';
import { effectiveTerms, TermIndex, wordsOf, type Term, type TermPlotType } from './terms.ts';
import { ALARM_LABELS } from '../alerts/alarm-writes.ts';

export interface ReportRequest extends LogbookRange {
  /** A gap between two flags of a plot type longer than this closes its incident. */
  gapMs: number;
  /** How long after its first flag a logbook entry can still be an incident's first mention. */
  windowMs: number;
}

export interface ReportedIncident extends IncidentMatch {
  beamOnLeadMs: number;
}

export interface IncidentReport extends ReportRequest {
  deployment: DeploymentRow;
  /** False when no verdict of the period read the beam (no EPICS): then all time counts as beam time. */
  beamKnown: boolean;
  incidents: ReportedIncident[];
  detectors: LeadFigures[];
  totals: LeadFigures;
}

export interface TimelineEvent {
  at: number;
  kind: IncidentEventKind;
  /** Who, when someone did it. */
  by: string | null;
  detail: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The period a report covers when the request gives no start. */
const DEFAULT_PERIOD_MS = 7 * 24 * HOUR_MS;

/** The deployment and period a query names: the trailing 7 days unless it gives a start or an end. */
export function periodOf(
  query: { deploymentId: number; from?: string; to?: string },
  now = Date.now(),
): LogbookRange {
  const range = timeRange(query.from, query.to);
  const to = range.to ?? now;
  const from = range.from ?? to - DEFAULT_PERIOD_MS;
  if (from > to) throw new InvalidInputError(`from (${query.from}) is in the future: give a \`to\` after it`);
  return { deploymentId: query.deploymentId, from, to };
}

/** A report's request from a query: its period, the gap (30 min) and the window (24 h) unless it gives them. */
export function reportRequest(
  query: { deploymentId: number; from?: string; to?: string; gapMinutes?: number; windowHours?: number },
  now = Date.now(),
): ReportRequest {
  return {
    ...periodOf(query, now),
    gapMs: (query.gapMinutes ?? 30) * MINUTE_MS,
    windowMs: (query.windowHours ?? 24) * HOUR_MS,
  };
}

/** Log entries read per query while collecting the flags. */
const FLAG_PAGE = 5000;
/** An alert's flag key: minus (event id × this + its place in the event), unique beside prediction ids. */
const ALERTS_PER_EVENT = 1000;

export class IncidentService {
  constructor(private readonly catalog: Repositories) {}

  async report(request: ReportRequest): Promise<IncidentReport> {
    const deployment = await this.deployment(request.deploymentId);
    const plotTypes = await this.catalog.plotTypes.list(deployment.id);
    const refs = new Map<number, PlotTypeRef>(
      plotTypes.map((p) => [p.id, { id: p.id, name: p.name, group: p.group_name }]),
    );
    const flags = [
      ...(await this.verdictFlags(request)),
      ...(await this.alertFlags(request, deployment, plotTypes)),
    ];
    const incidents = groupIncidents(flags, refs, request.gapMs);
    const [entries, custom, beamChanges] = await Promise.all([
      this.catalog.logbook.list({
        deploymentId: deployment.id,
        from: request.from,
        to: request.to + request.windowMs,
      }),
      this.catalog.logbook.customTerms(deployment.id),
      this.catalog.incidents.beamChanges({
        deploymentId: deployment.id,
        from: request.from,
        to: request.to + request.windowMs,
      }),
    ]);
    const terms = new TermIndex(effectiveTerms(termPlotTypes(plotTypes), custom));
    const beam = new BeamTimeline(beamChanges);
    const matches = matchIncidents(incidents, entries, terms, request.windowMs);
    return {
      ...request,
      deployment,
      beamKnown: beam.known,
      incidents: matches.map((match) => ({ ...match, beamOnLeadMs: beamOnLeadMs(match, beam) })),
      ...leadFigures(matches, beam),
    };
  }

  /** One incident of the report (by its key) and what happened to it, in order. */
  async timeline(
    request: ReportRequest,
    key: number,
  ): Promise<{ incident: ReportedIncident; events: TimelineEvent[] }> {
    const report = await this.report(request);
    const incident = report.incidents.find((i) => i.incident.key === key);
    if (!incident) {
      throw new NotFoundError(
        `no incident ${key} in ${report.deployment.name} between the period's start and end`,
      );
    }
    const overrides = await this.catalog.incidents.overrides(incident.incident.imageIds);
    return { incident, events: timelineEvents(incident, overrides) };
  }

  /** The deployment's effective terms (the defaults from its plot types, and its own), and its plot types' names. */
  async terms(deploymentId: number): Promise<{ terms: Term[]; plotTypeNames: Map<number, string> }> {
    const deployment = await this.deployment(deploymentId);
    const [plotTypes, custom] = await Promise.all([
      this.catalog.plotTypes.list(deployment.id),
      this.catalog.logbook.customTerms(deployment.id),
    ]);
    return {
      terms: effectiveTerms(termPlotTypes(plotTypes), custom),
      plotTypeNames: new Map(plotTypes.map((p) => [p.id, p.name])),
    };
  }

  /** Replaces the deployment's own terms; the same words given twice are one term. */
  async replaceTerms(deploymentId: number, terms: ReadonlyArray<{ term: string; plotTypeIds: number[] }>) {
    const deployment = await this.deployment(deploymentId);
    const merged = new Map<string, Set<number>>();
    for (const { term, plotTypeIds } of terms) {
      const words = wordsOf(term).join(' ');
      merged.set(words, new Set([...(merged.get(words) ?? []), ...plotTypeIds]));
    }
    await this.catalog.logbook.replaceTerms(
      deployment.id,
      [...merged].map(([term, ids]) => ({ term, plotTypeIds: [...ids] })),
    );
    return this.terms(deployment.id);
  }

  private async deployment(id: number): Promise<DeploymentRow> {
    const deployment = (await this.catalog.deployments.list()).find((d) => d.id === id);
    if (!deployment) throw new NotFoundError(`deployment ${id} does not exist`);
    return deployment;
  }

  /** The deployment's confirmed non-Good live verdicts of the period: the log's entries, page by page. */
  private async verdictFlags(request: ReportRequest): Promise<Flag[]> {
    const filter = {
      deploymentId: request.deploymentId,
      from: request.from,
      to: request.to,
      confirmed: true,
    };
    const flags: Flag[] = [];
    let after: LogCursor | undefined;
    for (;;) {
      const rows = await this.catalog.log.list(filter, { limit: FLAG_PAGE, after });
      for (const row of rows) {
        flags.push({
          kind: 'verdict',
          key: row.prediction_id,
          plotTypeId: row.plot_type_id,
          at: row.created_at,
          run: row.run_number,
          imageId: row.image_id,
          what: row.verdict,
          acknowledgedAt: row.acknowledgement?.at ?? null,
          acknowledgedBy: row.acknowledgement?.user ?? null,
        });
      }
      if (rows.length < FLAG_PAGE) return flags;
      const last = rows.at(-1)!;
      after = { createdAt: last.created_at, predictionId: last.prediction_id };
    }
  }

  /** The firing Grafana alerts of the period whose labels name one of the deployment's plot types. */
  private async alertFlags(
    request: ReportRequest,
    deployment: DeploymentRow,
    plotTypes: ReadonlyArray<{ id: number; name: string }>,
  ): Promise<Flag[]> {
    const byName = new Map(plotTypes.map((p) => [p.name, p.id]));
    const alerts = await this.catalog.alertEvents.firingAlerts(request.from, request.to);
    return alerts.flatMap(({ eventId, place, receivedAt, alert }) => {
      const plotTypeId = byName.get(alert.labels[ALARM_LABELS.plotType] ?? '');
      if (alert.labels[ALARM_LABELS.deployment] !== deployment.name || plotTypeId === undefined) return [];
      return [
        {
          kind: 'alert' as const,
          key: -(eventId * ALERTS_PER_EVENT + place),
          plotTypeId,
          at: receivedAt,
          run: null,
          imageId: null,
          what: alert.labels.alertname ?? 'alert',
          acknowledgedAt: null,
          acknowledgedBy: null,
        },
      ];
    });
  }
}

function termPlotTypes(
  plotTypes: ReadonlyArray<{ id: number; name: string; title: string; group_name: string }>,
): TermPlotType[] {
  return plotTypes.map((p) => ({ id: p.id, name: p.name, title: p.title, group: p.group_name }));
}

/** First flag, acknowledgement, override, first logbook mention and last flag, in the order they happened. */
function timelineEvents(
  { incident, entry }: ReportedIncident,
  overrides: readonly OverrideRow[],
): TimelineEvent[] {
  const events: TimelineEvent[] = [
    { at: incident.firstFlagAt, kind: 'first-flag', by: null, detail: flagDetail(incident) },
  ];
  if (incident.flags > 1) {
    events.push({
      at: incident.lastFlagAt,
      kind: 'last-flag',
      by: null,
      detail: `${incident.flags} flags in all`,
    });
  }
  if (incident.acknowledgement) {
    events.push({
      at: incident.acknowledgement.at,
      kind: 'acknowledgement',
      by: incident.acknowledgement.by,
      detail: 'acknowledged on the Log page',
    });
  }
  const override = overrides[0];
  if (override) {
    events.push({
      at: override.at,
      kind: 'override',
      by: override.user,
      detail: `overridden to ${override.className}`,
    });
  }
  if (entry) events.push({ at: entry.at, kind: 'logbook', by: entry.author, detail: entry.text });
  return events.sort((a, b) => a.at - b.at);
}

function flagDetail(incident: Incident): string {
  const runs = incident.runs.length > 0 ? ` in run ${incident.runs.join(', ')}` : '';
  return `${incident.plotType.name} flagged ${incident.verdicts.join(', ')}${runs}`;
}
