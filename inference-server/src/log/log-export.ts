import type { LogFilter, LogRepository } from '../catalog/repositories/log-repository.ts';
import { runRange, timeRange } from '../http/ranges.ts';
import type { LogCsvQuery, LogEntry } from '../schemas/index.ts';
import { logEntryView } from '../views/api-views.ts';

const DAY_MS = 24 * 3_600_000;
/** Rows per catalog query while streaming an export. */
const EXPORT_PAGE = 1000;

/** The log's filters as the catalog takes them: the trailing 24 hours unless a time range is given. */
export function logFilter(query: LogCsvQuery, now = Date.now()): LogFilter {
  const range = timeRange(query.from, query.to);
  const to = range.to ?? now;
  return {
    deploymentId: query.deploymentId,
    from: range.from ?? to - DAY_MS,
    to,
    ...runRange(query.runFrom, query.runTo),
    plotTypeId: query.plotTypeId,
    verdict: query.class,
    confirmed: query.confirmed,
    acknowledged: query.acknowledged,
  };
}

const COLUMNS: Array<[string, (entry: LogEntry) => string | number | boolean | null]> = [
  ['created_at', (e) => e.createdAt],
  ['deployment', (e) => e.deployment],
  ['plot_type', (e) => e.plotType],
  ['run', (e) => e.run],
  ['verdict', (e) => e.verdict],
  ['confidence', (e) => e.confidence],
  ['confirmed', (e) => e.confirmed],
  ['prediction_id', (e) => e.predictionId],
  ['image_id', (e) => e.imageId],
  ['acknowledged_by', (e) => e.acknowledgement?.user ?? null],
  ['acknowledged_at', (e) => e.acknowledgement?.at ?? null],
  ['comment', (e) => e.acknowledgement?.comment ?? null],
];

/** RFC 4180: quoted when it holds a comma, quote or line break; a leading formula character is defused. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every matching entry as CSV lines, a header first, read from the catalog one page at a time. */
export async function* logCsv(
  log: LogRepository,
  filter: LogFilter,
  pageSize = EXPORT_PAGE,
): AsyncGenerator<string> {
  yield COLUMNS.map(([name]) => name).join(',') + '\r\n';
  let after: { createdAt: number; predictionId: number } | undefined;
  for (;;) {
    const rows = await log.list(filter, { limit: pageSize, after });
    if (rows.length > 0) {
      yield rows
        .map((row) => COLUMNS.map(([, get]) => csvField(get(logEntryView(row)))).join(',') + '\r\n')
        .join('');
    }
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    after = { createdAt: last.created_at, predictionId: last.prediction_id };
  }
}
