// Logbook entries from a file: CSV with a header row, or JSON lines. Every row is checked on its own: the good ones
// are returned, each bad one with its line number and the reason. Pure: no SQL, no HTTP.
import { createHash } from 'node:crypto';
import type { LogbookFormat } from '../enums.ts';
import { MAX_DB_INTEGER } from '../schemas/common.ts';
import { csvRows } from './csv-rows.ts';
import type { LogbookEntry } from './matching.ts';

/** An entry ready to store; its hash is its identity, so the same entry imported again is found. */
export interface NewLogbookEntry extends Omit<LogbookEntry, 'id'> {
  contentHash: string;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ParsedLogbook {
  entries: Array<NewLogbookEntry & { line: number }>;
  rejected: RejectedRow[];
}

export const LOGBOOK_LIMITS = { author: 200, text: 4000, tag: 100 } as const;

/** The CSV header's name of each field (JSON lines use the field names: plotType). */
const CSV_COLUMNS = {
  time: 'time',
  author: 'author',
  text: 'text',
  detector: 'detector',
  plotType: 'plot_type',
  run: 'run',
};
const REQUIRED_COLUMNS = [CSV_COLUMNS.time, CSV_COLUMNS.author, CSV_COLUMNS.text];

/** A time with a date, hours and minutes, and a zone (a logbook's local time without one is ambiguous). */
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A file whose shape is wrong as a whole (no header, a missing column): no row can be read. */
export class LogbookFileError extends Error {}

export function parseLogbook(content: string, format: LogbookFormat): ParsedLogbook {
  return format === 'csv' ? parseCsv(content) : parseJsonLines(content);
}

function parseCsv(content: string): ParsedLogbook {
  const parsed: ParsedLogbook = { entries: [], rejected: [] };
  const [header, ...rows] = csvRows(content);
  if (!header) throw new LogbookFileError('the file is empty: it needs a header row and entries');
  if (header.error) throw new LogbookFileError(`the header row: ${header.error}`);
  const columns = csvHeader(header.fields);
  for (const row of rows) {
    addRow(parsed, row.line, () => {
      if (row.error) throw new RowError(row.error);
      if (row.fields.length !== columns.length) {
        throw new RowError(`${row.fields.length} fields, but the header has ${columns.length}`);
      }
      const cell = (name: string) => {
        const index = columns.indexOf(name);
        return index < 0 ? undefined : row.fields[index];
      };
      return {
        time: cell(CSV_COLUMNS.time),
        author: cell(CSV_COLUMNS.author),
        text: cell(CSV_COLUMNS.text),
        detector: cell(CSV_COLUMNS.detector),
        plotType: cell(CSV_COLUMNS.plotType),
        run: cell(CSV_COLUMNS.run),
      };
    });
  }
  return parsed;
}

/** The header's columns, lower case; unknown or missing ones make the file unreadable. */
function csvHeader(header: readonly string[]): string[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const known: string[] = Object.values(CSV_COLUMNS);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new LogbookFileError(
      `unknown CSV column ${unknown.join(', ')}: the columns are ${known.join(', ')}`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new LogbookFileError(`the CSV header lacks ${missing.join(', ')}`);
  return names;
}

function parseJsonLines(content: string): ParsedLogbook {
  const parsed: ParsedLogbook = { entries: [], rejected: [] };
  content.split(/\r?\n/).forEach((text, index) => {
    if (text.trim() === '') return;
    addRow(parsed, index + 1, () => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new RowError('not JSON');
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RowError('not a JSON object');
      }
      return value as RawEntry;
    });
  });
  return parsed;
}

/** A row's fields as the file gives them: strings from CSV, any JSON value from JSON lines. */
interface RawEntry {
  time?: unknown;
  author?: unknown;
  text?: unknown;
  detector?: unknown;
  plotType?: unknown;
  run?: unknown;
}

/** Why a row cannot be an entry. */
class RowError extends Error {}

function addRow(parsed: ParsedLogbook, line: number, read: () => RawEntry): void {
  try {
    parsed.entries.push({ ...checkEntry(read()), line });
  } catch (error) {
    if (!(error instanceof RowError)) throw error;
    parsed.rejected.push({ line, reason: error.message });
  }
}

/** A row's fields checked: the entry, or a RowError with the first reason it cannot be one. */
function checkEntry(raw: RawEntry): NewLogbookEntry {
  const time = typeof raw.time === 'string' ? raw.time.trim() : raw.time;
  if (typeof time !== 'string' || !TIME_PATTERN.test(time)) {
    throw new RowError(
      `time ${JSON.stringify(time ?? null)} is not a date and time with a zone, e.g. 2024-02-11T07:30:00Z`,
    );
  }
  const at = Date.parse(time.replace(' ', 'T'));
  if (Number.isNaN(at) || !isCalendarDay(time))
    throw new RowError(`time ${JSON.stringify(time)} is not a real date`);
  const entry = {
    at,
    author: textField(raw.author, 'author', LOGBOOK_LIMITS.author) ?? missing('author'),
    text: textField(raw.text, 'text', LOGBOOK_LIMITS.text) ?? missing('text'),
    detector: textField(raw.detector, 'detector', LOGBOOK_LIMITS.tag),
    plotType: textField(raw.plotType, CSV_COLUMNS.plotType, LOGBOOK_LIMITS.tag),
    run: runField(raw.run),
  };
  const contentHash = createHash('sha256')
    .update(JSON.stringify([entry.at, entry.author, entry.text, entry.detector, entry.plotType, entry.run]))
    .digest('hex');
  return { ...entry, contentHash };
}

/** Whether the day exists in its month (Date.parse takes 2024-02-30 for 1 March). */
function isCalendarDay(time: string): boolean {
  const [year, month, day] = time.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function missing(name: string): never {
  throw new RowError(`${name} is empty`);
}

/** A trimmed text within its length; null when empty. */
function textField(value: unknown, name: string, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new RowError(`${name} is not text`);
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw new RowError(`${name} is longer than ${maxLength} characters`);
  return trimmed || null;
}

/** A run number: a whole number, or its digits in a CSV cell; null when empty. */
function runField(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const run = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof run !== 'number' || !Number.isInteger(run) || run < 0 || run > MAX_DB_INTEGER) {
    throw new RowError(
      `run ${JSON.stringify(value)} is not a run number (a whole number from 0 to ${MAX_DB_INTEGER})`,
    );
  }
  return run;
}
