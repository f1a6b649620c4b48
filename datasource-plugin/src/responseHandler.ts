// Inference-server responses → Grafana data frames. Pure functions: no requests, no Grafana runtime.
import { createDataFrame, FieldType, type DataFrame, type Field } from '@grafana/data';
import type {
  ModelVersion,
  Plot,
  PlotClass,
  PlotList,
  PlotTypeInfo,
  Prediction,
  Run,
} from '@hydra/inference-server/api';
import { API_PREFIX } from './constants';
import { PLOTS_FRAME_NAME, PlotField, type HydraFrameMeta } from './frames';

/** A server path (/api/v1/...) as the browser reaches it through Grafana's proxy. */
export function proxied(apiUrl: string, serverPath: string): string {
  return serverPath.startsWith(API_PREFIX) ? apiUrl + serverPath.slice(API_PREFIX.length) : serverPath;
}

const THUMBNAIL_WIDTH = 320;
const GOOD = 'Good';

function frame(name: string, refId: string | undefined, meta: HydraFrameMeta, fields: Array<Omit<Field, 'config'>>) {
  return createDataFrame({
    name,
    refId,
    meta: { custom: meta },
    fields: fields.map((field) => ({ ...field, config: {} })),
  });
}

const column = <T>(name: string, type: FieldType, values: T[]) => ({ name, type, values });

function classOf(plot: Plot): PlotClass | undefined {
  return plot.classes.find((c) => c.name === plot.prediction?.verdict);
}

/** The latest plots: one row per plot type with its image, verdict, colours and the URLs the panel needs. */
export function plotsFrame(list: PlotList, apiUrl: string, refId?: string, group?: string): DataFrame {
  const plots = list.items.filter((plot) => !group || plot.plotType.group === group);
  const image = (plot: Plot) => plot.image;
  const imagePath = (plot: Plot, suffix: string) => (plot.image ? `${apiUrl}/images/${plot.image.id}${suffix}` : null);
  return frame(PLOTS_FRAME_NAME, refId, { apiUrl, deployment: list.deployment }, [
    column(
      PlotField.plotTypeId,
      FieldType.number,
      plots.map((p) => p.plotType.id)
    ),
    column(
      PlotField.plotType,
      FieldType.string,
      plots.map((p) => p.plotType.name)
    ),
    column(
      PlotField.title,
      FieldType.string,
      plots.map((p) => p.plotType.title)
    ),
    column(
      PlotField.group,
      FieldType.string,
      plots.map((p) => p.plotType.group)
    ),
    column(
      PlotField.state,
      FieldType.string,
      plots.map((p) => p.state)
    ),
    column(
      PlotField.imageId,
      FieldType.number,
      plots.map((p) => image(p)?.id ?? null)
    ),
    column(
      PlotField.predictionId,
      FieldType.number,
      plots.map((p) => p.prediction?.id ?? null)
    ),
    column(
      PlotField.time,
      FieldType.time,
      plots.map((p) => (p.image ? Date.parse(p.image.capturedAt) : null))
    ),
    column(
      PlotField.run,
      FieldType.number,
      plots.map((p) => image(p)?.run ?? null)
    ),
    column(
      PlotField.verdict,
      FieldType.string,
      plots.map((p) => p.prediction?.verdict ?? null)
    ),
    column(
      PlotField.confidence,
      FieldType.number,
      plots.map((p) => p.prediction?.confidence ?? null)
    ),
    column(
      PlotField.confirmed,
      FieldType.boolean,
      plots.map((p) => p.prediction?.confirmed ?? false)
    ),
    column(
      PlotField.severity,
      FieldType.string,
      plots.map((p) => classOf(p)?.severity ?? null)
    ),
    column(
      PlotField.colour,
      FieldType.string,
      plots.map((p) => classOf(p)?.colour ?? null)
    ),
    column(
      PlotField.modelVersion,
      FieldType.number,
      plots.map((p) => p.prediction?.modelVersion ?? null)
    ),
    column(
      PlotField.imageUrl,
      FieldType.string,
      plots.map((p) => (p.image ? proxied(apiUrl, p.image.fileUrl) : null))
    ),
    column(
      PlotField.thumbnailUrl,
      FieldType.string,
      plots.map((p) => (p.image ? `${proxied(apiUrl, p.image.thumbnailUrl)}?width=${THUMBNAIL_WIDTH}` : null))
    ),
    column(
      PlotField.gradcamUrl,
      FieldType.string,
      plots.map((p) => (p.prediction ? imagePath(p, '/gradcam') : null))
    ),
    column(
      PlotField.referenceUrl,
      FieldType.string,
      plots.map((p) => `${apiUrl}/plot-types/${p.plotType.id}/reference`)
    ),
    column(
      PlotField.probabilities,
      FieldType.other,
      plots.map((p) => p.prediction?.probabilities ?? null)
    ),
    column(
      PlotField.classes,
      FieldType.other,
      plots.map((p) => p.classes)
    ),
  ]);
}

/** Every class name that occurs in the predictions, in first-seen order: one probability column each. */
function classNames(predictions: Prediction[]): string[] {
  return [...new Set(predictions.flatMap((p) => Object.keys(p.probabilities)))];
}

/** Oldest first, as Grafana's time series and verdict changes read them. */
function oldestFirst(predictions: Prediction[]): Prediction[] {
  return [...predictions].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt) || a.id - b.id);
}

/** The columns that the predictions and log frames both take from a prediction: name → type and value. */
const PREDICTION_COLUMNS = {
  time: [FieldType.time, (p: Prediction) => Date.parse(p.capturedAt)],
  plotType: [FieldType.string, (p: Prediction) => p.plotType],
  run: [FieldType.number, (p: Prediction) => p.run],
  verdict: [FieldType.string, (p: Prediction) => p.verdict],
  confidence: [FieldType.number, (p: Prediction) => p.confidence],
  confirmed: [FieldType.boolean, (p: Prediction) => p.confirmed],
  modelVersion: [FieldType.number, (p: Prediction) => p.modelVersion],
  imageId: [FieldType.number, (p: Prediction) => p.imageId],
} satisfies Record<string, [FieldType, (p: Prediction) => unknown]>;

function predictionColumns(rows: Prediction[], names: Array<keyof typeof PREDICTION_COLUMNS>) {
  return names.map((name) => {
    const [type, value]: [FieldType, (p: Prediction) => unknown] = PREDICTION_COLUMNS[name];
    return column(name, type, rows.map(value));
  });
}

/** Predictions, one row each, oldest first (Grafana's time series order), with a p(class) column per class. */
export function predictionsFrame(
  predictions: Prediction[],
  meta: HydraFrameMeta,
  refId?: string,
  name = 'predictions'
): DataFrame {
  const rows = oldestFirst(predictions);
  return frame(name, refId, meta, [
    ...predictionColumns(rows, [
      'time',
      'plotType',
      'run',
      'verdict',
      'confidence',
      'confirmed',
      'modelVersion',
      'imageId',
    ]),
    column(
      'thumbnailUrl',
      FieldType.string,
      rows.map((p) => `${meta.apiUrl}/images/${p.imageId}/thumbnail?width=${THUMBNAIL_WIDTH}`)
    ),
    ...classNames(rows).map((name) =>
      column(
        `p(${name})`,
        FieldType.number,
        rows.map((p) => p.probabilities[name] ?? null)
      )
    ),
  ]);
}

/** Severity of each plot type's classes, so the log can tell Good-like classes from problems. */
export function severities(plotTypes: PlotTypeInfo[]): Map<string, Map<string, string>> {
  return new Map(plotTypes.map((t) => [t.name, new Map(t.classes.map((c) => [c.name, c.severity]))]));
}

/** Whether a verdict is a problem: its class is not of severity ok (unknown classes: anything but Good). */
export function isProblem(prediction: Prediction, bySeverity: Map<string, Map<string, string>>): boolean {
  const severity = bySeverity.get(prediction.plotType)?.get(prediction.verdict);
  return severity === undefined ? prediction.verdict !== GOOD : severity !== 'ok';
}

/** The log: the non-Good verdicts, newest first. */
export function logFrame(
  predictions: Prediction[],
  plotTypes: PlotTypeInfo[],
  meta: HydraFrameMeta,
  refId?: string
): DataFrame {
  const bySeverity = severities(plotTypes);
  const rows = predictions
    .filter((p) => isProblem(p, bySeverity))
    .sort((a, b) => Date.parse(b.capturedAt) - Date.parse(a.capturedAt) || b.id - a.id);
  return frame('log', refId, meta, [
    ...predictionColumns(rows, ['time', 'plotType', 'run', 'verdict']),
    column(
      'severity',
      FieldType.string,
      rows.map((p) => bySeverity.get(p.plotType)?.get(p.verdict) ?? null)
    ),
    ...predictionColumns(rows, ['confidence', 'confirmed', 'imageId']),
    column(
      'imageUrl',
      FieldType.string,
      rows.map((p) => `${meta.apiUrl}/images/${p.imageId}/file`)
    ),
  ]);
}

/** Runs, newest first, with the count of problem verdicts among the given predictions. */
export function runsFrame(
  runs: Run[],
  predictions: Prediction[],
  plotTypes: PlotTypeInfo[],
  meta: HydraFrameMeta,
  refId?: string
): DataFrame {
  const bySeverity = severities(plotTypes);
  const problems = new Map<number, number>();
  for (const p of predictions) {
    if (p.run !== null && isProblem(p, bySeverity)) {
      problems.set(p.run, (problems.get(p.run) ?? 0) + 1);
    }
  }
  const rows = [...runs].sort((a, b) => b.number - a.number);
  return frame('runs', refId, meta, [
    column(
      'run',
      FieldType.number,
      rows.map((r) => r.number)
    ),
    column(
      'startedAt',
      FieldType.time,
      rows.map((r) => Date.parse(r.startedAt))
    ),
    column(
      'endedAt',
      FieldType.time,
      rows.map((r) => (r.endedAt ? Date.parse(r.endedAt) : null))
    ),
    column(
      'beamState',
      FieldType.string,
      rows.map((r) => r.beamState)
    ),
    column(
      'images',
      FieldType.number,
      rows.map((r) => r.images)
    ),
    column(
      'problems',
      FieldType.number,
      rows.map((r) => problems.get(r.number) ?? 0)
    ),
    column(
      'lastImageAt',
      FieldType.time,
      rows.map((r) => (r.lastImageAt ? Date.parse(r.lastImageAt) : null))
    ),
  ]);
}

/** Model versions of every plot type, newest first within each. */
export function modelsFrame(
  plotTypes: PlotTypeInfo[],
  versions: ModelVersion[][],
  meta: HydraFrameMeta,
  refId?: string
): DataFrame {
  const names = new Map(plotTypes.map((t) => [t.id, t.name]));
  const rows = versions.flat();
  return frame('models', refId, meta, [
    column(
      'plotType',
      FieldType.string,
      rows.map((v) => names.get(v.plotTypeId) ?? String(v.plotTypeId))
    ),
    column(
      'model',
      FieldType.string,
      rows.map((v) => v.model)
    ),
    column(
      'version',
      FieldType.number,
      rows.map((v) => v.version)
    ),
    column(
      'status',
      FieldType.string,
      rows.map((v) => v.status)
    ),
    column(
      'architecture',
      FieldType.string,
      rows.map((v) => v.architecture)
    ),
    column(
      'classes',
      FieldType.string,
      rows.map((v) => v.classes.join(', '))
    ),
    column(
      'inputShape',
      FieldType.string,
      rows.map((v) => v.inputShape.join('×'))
    ),
    column(
      'createdAt',
      FieldType.time,
      rows.map((v) => Date.parse(v.createdAt))
    ),
  ]);
}

/**
 * Annotations: each time a plot type's verdict differs from its previous one, and each confirmed verdict of
 * an alarm-severity class (tagged `alarm`).
 */
export function verdictChangesFrame(
  predictions: Prediction[],
  plotTypes: PlotTypeInfo[],
  meta: HydraFrameMeta,
  refId?: string
): DataFrame {
  const bySeverity = severities(plotTypes);
  const rows = oldestFirst(predictions);
  const previous = new Map<string, string>();
  const events: Array<{ time: number; title: string; text: string; tags: string[] }> = [];
  for (const p of rows) {
    const before = previous.get(p.plotType);
    previous.set(p.plotType, p.verdict);
    const alarm = p.confirmed && bySeverity.get(p.plotType)?.get(p.verdict) === 'alarm';
    if ((before !== undefined && before !== p.verdict) || alarm) {
      events.push({
        time: Date.parse(p.capturedAt),
        title: alarm ? `${p.plotType}: ${p.verdict} (alarm)` : `${p.plotType}: ${before} → ${p.verdict}`,
        text: `run ${p.run ?? '–'}, confidence ${(p.confidence * 100).toFixed(0)}%, model v${p.modelVersion}`,
        tags: ['hydra', p.plotType, p.verdict, ...(alarm ? ['alarm'] : [])],
      });
    }
  }
  return frame('verdictChanges', refId, meta, [
    column(
      'time',
      FieldType.time,
      events.map((e) => e.time)
    ),
    column(
      'title',
      FieldType.string,
      events.map((e) => e.title)
    ),
    column(
      'text',
      FieldType.string,
      events.map((e) => e.text)
    ),
    column(
      'tags',
      FieldType.other,
      events.map((e) => e.tags)
    ),
  ]);
}

/** Values of a template variable: deployments, plot groups or plot types. */
export function variableValues(
  kind: 'deployments' | 'groups' | 'plotTypes',
  deployments: string[],
  plotTypes: PlotTypeInfo[],
  group?: string
): Array<{ text: string }> {
  const values =
    kind === 'deployments'
      ? deployments
      : kind === 'groups'
        ? [...new Set(plotTypes.map((t) => t.group))]
        : plotTypes.filter((t) => !group || t.group === group).map((t) => t.name);
  return values.map((text) => ({ text }));
}
