import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Series } from './expressions.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PROVISIONING = path.join(REPO_ROOT, 'provisioning');

/** Every file under provisioning/ with the given ending, relative paths, sorted. */
export function provisioningFiles(ending: string): string[] {
  return (fs.readdirSync(PROVISIONING, { recursive: true }) as string[])
    .filter((file) => file.endsWith(ending) && !file.startsWith('schemas'))
    .sort();
}

export function readYaml(file: string): unknown {
  return parse(fs.readFileSync(path.join(PROVISIONING, file), 'utf8'));
}

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
}

export interface PluginJson {
  id: string;
  routes?: unknown[];
}

/** A plugin's src/plugin.json, or null where that plugin is not in this checkout. */
export function pluginJson(folder: string): PluginJson | null {
  const file = path.join(REPO_ROOT, folder, 'src', 'plugin.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PluginJson) : null;
}

// The shapes of the provisioned files these tests read (their keys are checked by the schemas).
export interface QueryModel {
  refId: string;
  query?: string;
  type?: string;
  expression?: string;
  reducer?: string;
  settings?: { mode?: string; replaceWithValue?: number };
  conditions?: Array<{ evaluator: { type: string; params: number[] } }>;
}
export interface RuleQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange?: { from: number; to: number };
  model: QueryModel;
}
export interface AlertRule {
  uid: string;
  title: string;
  condition: string;
  data: RuleQuery[];
  dashboardUid?: string;
  panelId?: number;
  labels?: Record<string, string>;
}
export interface RulesFile {
  groups: Array<{ name: string; rules: AlertRule[] }>;
}
export interface Target {
  refId: string;
  datasource?: { type?: string; uid?: string };
  query?: string | Record<string, unknown>;
  expression?: string;
}
export interface Panel {
  id: number;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; datasource?: { uid?: string } }> };
  annotations: { list: Array<{ datasource?: { uid?: string } }> };
}

export function rules(): AlertRule[] {
  return provisioningFiles('.yaml')
    .map((file) => readYaml(file) as Partial<RulesFile>)
    .flatMap((file) => file.groups?.flatMap((group) => group.rules) ?? []);
}

export function dashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return provisioningFiles('.json').map((file) => ({
    file,
    dashboard: readJson(path.join('provisioning', file)) as Dashboard,
  }));
}

export const allPanels = (panels: Panel[]): Panel[] =>
  panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** Grafana's regex escaping of a variable's value inside `/^$var$/` (InfluxDB data source). */
const regexEscape = (value: string) => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

/**
 * An InfluxQL query as Grafana sends it: `$timeFilter` as an absolute range in ms, `$__interval` and
 * `$interval` as the given interval, dashboard variables by value (regex-escaped, as Grafana does for InfluxDB).
 */
export function interpolate(
  query: string,
  {
    from,
    to,
    interval = '1m',
    variables = {},
  }: { from: number; to: number; interval?: string; variables?: Record<string, string> },
): string {
  let text = query
    .replaceAll('$timeFilter', `time >= ${from}ms and time <= ${to}ms`)
    .replaceAll('$__interval', interval)
    .replaceAll('$interval', interval);
  for (const [name, value] of Object.entries(variables)) {
    text = text.replace(new RegExp(`/\\^\\$${name}\\$/`, 'g'), `/^${regexEscape(value)}$/`);
    text = text.replace(new RegExp(`\\$${name}\\b`, 'g'), value);
  }
  return text;
}

interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** Runs InfluxQL and returns its series as Grafana's InfluxDB backend frames them: one per value column, tags as labels. */
export async function runInfluxQL(baseUrl: string, database: string, query: string): Promise<Series[]> {
  const url = `${baseUrl}/query?db=${encodeURIComponent(database)}&epoch=ms&q=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url)).json()) as {
    results?: Array<{ series?: InfluxSeries[]; error?: string }>;
    error?: string;
  };
  const result = body.results?.[0];
  const error = body.error ?? result?.error;
  if (error) throw new Error(`${error} in: ${query}`);
  return (result?.series ?? []).flatMap((series) =>
    series.columns.slice(1).map((_, i) => ({
      labels: series.tags ?? {},
      points: series.values.map((row): [number, number | null] => [
        Number(row[0]),
        typeof row[i + 1] === 'number' ? (row[i + 1] as number) : null,
      ]),
    })),
  );
}
