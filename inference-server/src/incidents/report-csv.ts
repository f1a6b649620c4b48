import { csvField } from '../log/log-export.ts';
import type { Incident, IncidentReport } from '../schemas/index.ts';

const minutes = (seconds: number | null) =>
  seconds === null ? null : Math.round((seconds / 60) * 100) / 100;

const COLUMNS: Array<[string, (incident: Incident) => string | number | boolean | null]> = [
  ['incident', (i) => i.key],
  ['detector', (i) => i.detector],
  ['plot_type', (i) => i.plotType],
  ['first_flag_at', (i) => i.firstFlagAt],
  ['last_flag_at', (i) => i.lastFlagAt],
  ['flags', (i) => i.flags],
  ['runs', (i) => i.runs.join(' ')],
  ['verdicts', (i) => i.verdicts.join(' ')],
  ['acknowledged_at', (i) => i.acknowledgement?.at ?? null],
  ['acknowledged_by', (i) => i.acknowledgement?.by ?? null],
  ['logbook_at', (i) => i.logbook?.at ?? null],
  ['logbook_author', (i) => i.logbook?.author ?? null],
  ['logbook_text', (i) => i.logbook?.text ?? null],
  ['lead_minutes', (i) => minutes(i.leadSeconds)],
  ['beam_on_lead_minutes', (i) => minutes(i.beamOnLeadSeconds)],
];

/** The report's incidents as CSV, a header first: unmatched ones have empty logbook and lead columns. */
export function incidentReportCsv(report: IncidentReport): string {
  return [
    COLUMNS.map(([name]) => name),
    ...report.incidents.map((i) => COLUMNS.map(([, get]) => csvField(get(i)))),
  ]
    .map((fields) => fields.join(',') + '\r\n')
    .join('');
}
