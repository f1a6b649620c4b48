import { Type, type Static } from 'typebox';
import { INCIDENT_EVENT_KINDS, LOGBOOK_FORMATS } from '../enums.ts';
import { DbInteger, Id, IsoTime } from './common.ts';
import { Name } from './names.ts';

/** The largest logbook file one request takes (a run period's logbook is well below it). */
export const LOGBOOK_MAX_BYTES = 16 * 1024 * 1024;

export const LogbookImportBody = Type.Object({
  deployment: Name('The deployment whose logbook it is'),
  format: Type.Enum(LOGBOOK_FORMATS, {
    description:
      'csv: a header row (time, author, text; optional detector, plot_type, run), then one entry a row. jsonl: one JSON object a line (time, author, text; optional detector, plotType, run)',
  }),
  content: Type.String({ maxLength: LOGBOOK_MAX_BYTES, description: "The file's text" }),
});
export type LogbookImportBody = Static<typeof LogbookImportBody>;

export const RejectedLogbookRow = Type.Object({
  line: Type.Integer({ description: 'Line of the file, from 1 (the CSV header is line 1)' }),
  reason: Type.String(),
});

export const LogbookImportResult = Type.Object({
  deployment: Type.String(),
  rows: Type.Integer({ description: 'Rows read: entries and rejected rows' }),
  added: Type.Integer({ description: 'Entries stored now' }),
  duplicates: Type.Integer({ description: 'Good entries already stored (an earlier import of them)' }),
  rejected: Type.Array(RejectedLogbookRow, { description: 'Rows not stored, with the reason' }),
});
export type LogbookImportResult = Static<typeof LogbookImportResult>;

export const LogbookEntry = Type.Object({
  id: Type.Integer(),
  at: IsoTime,
  author: Type.String(),
  text: Type.String(),
  detector: Type.Union([Type.String(), Type.Null()]),
  plotType: Type.Union([Type.String(), Type.Null()]),
  run: Type.Union([Type.Integer(), Type.Null()]),
});
export type LogbookEntry = Static<typeof LogbookEntry>;

const period = {
  deploymentId: Id,
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
};

export const LogbookQuery = Type.Object(period);
export type LogbookQuery = Static<typeof LogbookQuery>;

export const LogbookList = Type.Object({
  items: Type.Array(LogbookEntry, { description: 'Oldest first; default: the trailing 7 days' }),
});
export type LogbookList = Static<typeof LogbookList>;

export const DeploymentIdQuery = Type.Object({ deploymentId: Id });
export type DeploymentIdQuery = Static<typeof DeploymentIdQuery>;

export const LogbookTerm = Type.Object({
  term: Type.String(),
  plotTypes: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  source: Type.Union([Type.Literal('default'), Type.Literal('custom')], {
    description: "default: from the plot types' names, titles and groups; custom: the deployment's own",
  }),
});
export type LogbookTerm = Static<typeof LogbookTerm>;

export const LogbookTermList = Type.Object({ items: Type.Array(LogbookTerm) });
export type LogbookTermList = Static<typeof LogbookTermList>;

export const LogbookTermsBody = Type.Object({
  terms: Type.Array(
    Type.Object({
      term: Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '[A-Za-z0-9]',
        description: 'A word or words, matched whole and in any case',
      }),
      plotTypeIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
    }),
    { maxItems: 1000, description: "The deployment's own terms: they replace the ones it had" },
  ),
});
export type LogbookTermsBody = Static<typeof LogbookTermsBody>;

export const IncidentReportQuery = Type.Object({
  ...period,
  gapMinutes: Type.Integer({
    minimum: 1,
    maximum: 1440,
    default: 30,
    description: 'A gap between two flags of a plot type longer than this closes its incident',
  }),
  windowHours: Type.Integer({
    minimum: 1,
    maximum: 720,
    default: 24,
    description: 'How long after its first flag a logbook entry can still be its first mention',
  }),
});
export type IncidentReportQuery = Static<typeof IncidentReportQuery>;

export const LeadFigures = Type.Object({
  detector: Type.Union([Type.String(), Type.Null()], {
    description: 'The plot-type group; null: all of them',
  }),
  incidents: Type.Integer(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  medianLeadSeconds: Type.Union([Type.Number(), Type.Null()], {
    description: 'Null: no incident was matched',
  }),
  worstLeadSeconds: Type.Union([Type.Number(), Type.Null()]),
  totalLeadSeconds: Type.Number(),
  beamOnLeadSeconds: Type.Number({
    description: 'The lead times while the beam was on: what a human would have waited',
  }),
});
export type LeadFigures = Static<typeof LeadFigures>;

export const Incident = Type.Object({
  key: Type.Integer({ description: "Its first flag's prediction id (negative: a Grafana alert opened it)" }),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  detector: Type.String(),
  firstFlagAt: IsoTime,
  lastFlagAt: IsoTime,
  flags: Type.Integer(),
  runs: Type.Array(Type.Integer()),
  verdicts: Type.Array(Type.String()),
  acknowledgement: Type.Union([Type.Object({ at: IsoTime, by: Type.String() }), Type.Null()]),
  logbook: Type.Union([LogbookEntry, Type.Null()], { description: 'Its first mention; null: unmatched' }),
  leadSeconds: Type.Union([Type.Number(), Type.Null()]),
  beamOnLeadSeconds: Type.Number(),
});
export type Incident = Static<typeof Incident>;

export const IncidentReport = Type.Object({
  deployment: Type.String(),
  deploymentId: Type.Integer(),
  from: IsoTime,
  to: IsoTime,
  gapMinutes: Type.Integer(),
  windowHours: Type.Integer(),
  beamKnown: Type.Boolean({
    description: 'False: no verdict of the period read the beam (no EPICS), so all time counts as beam time',
  }),
  detectors: Type.Array(LeadFigures),
  totals: LeadFigures,
  incidents: Type.Array(Incident, { description: 'By first flag' }),
});
export type IncidentReport = Static<typeof IncidentReport>;

export const IncidentKeyParams = Type.Object({
  key: Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
});
export type IncidentKeyParams = Static<typeof IncidentKeyParams>;

export const IncidentTimeline = Type.Object({
  incident: Incident,
  events: Type.Array(
    Type.Object({
      at: IsoTime,
      kind: Type.Enum(INCIDENT_EVENT_KINDS),
      by: Type.Union([Type.String(), Type.Null()]),
      detail: Type.String(),
    }),
    { description: 'In the order they happened' },
  ),
});
export type IncidentTimeline = Static<typeof IncidentTimeline>;

export const IncidentReportCsv = Type.Unsafe<string>({
  type: 'string',
  description: 'text/csv: a header row, then one row per incident',
});

export const IncidentPointsResult = Type.Object({
  points: DbInteger({ description: 'Points handed to the InfluxDB writer' }),
});
export type IncidentPointsResult = Static<typeof IncidentPointsResult>;
