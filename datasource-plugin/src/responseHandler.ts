// Inference-server responses → Grafana data frames. Pure functions: no requests, no Grafana runtime.
// Each frame has one column table (name → field type and value); the plots frame is the kit's.
import { FieldType, type DataFrame } from '@grafana/data';
import type { ModelVersion, PlotTypeInfo, Prediction, Run } from '@hydra/inference-server/api';
import { imageUrl } from '@hydra/plugin-kit/client';
import { columnsOf, hydraFrame, THUMBNAIL_WIDTH, type Column, type HydraFrameMeta } from '@hydra/plugin-kit/frames';

const GOOD = 'Good';

/** Class severities per plot type name: plot type → class → severity. */
type Severities = Map<string, Map<string, string>>;

/** Every class name that occurs in the predictions, in first-seen order: one probability column each. */
function classNames(predictions: Prediction[]): string[] {
  return [...new Set(predictions.flatMap((p) => Object.keys(p.probabilities)))];
}

/** Oldest first, as Grafana's time series and verdict changes read them. */
function oldestFirst(predictions: Prediction[]): Prediction[] {
  return [...predictions].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt) || a.id - b.id);
}

/** What the predictions, history and log frames know besides a prediction. */
interface PredictionContext {
  apiUrl: string;
  /** For the log's severity column. */
  bySeverity?: Severities;
}

/** The columns of the predictions (and history) and log frames; each frame takes the ones it names. */
const PREDICTION_COLUMNS = {
  time: [FieldType.time, (p) => Date.parse(p.capturedAt)],
  plotType: [FieldType.string, (p) => p.plotType],
  run: [FieldType.number, (p) => p.run],
  verdict: [FieldType.string, (p) => p.verdict],
  severity: [FieldType.string, (p, { bySeverity }) => bySeverity?.get(p.plotType)?.get(p.verdict) ?? null],
  confidence: [FieldType.number, (p) => p.confidence],
  confirmed: [FieldType.boolean, (p) => p.confirmed],
  modelVersion: [FieldType.number, (p) => p.modelVersion],
  imageId: [FieldType.number, (p) => p.imageId],
  thumbnailUrl: [
    FieldType.string,
    (p, { apiUrl }) => imageUrl(apiUrl, p.imageId, 'thumbnail', { width: THUMBNAIL_WIDTH }),
  ],
  imageUrl: [FieldType.string, (p, { apiUrl }) => imageUrl(apiUrl, p.imageId)],
} satisfies Record<string, Column<Prediction, PredictionContext>>;

type PredictionColumn = keyof typeof PREDICTION_COLUMNS;

const PREDICTIONS_FRAME_COLUMNS: PredictionColumn[] = [
  'time',
  'plotType',
  'run',
  'verdict',
  'confidence',
  'confirmed',
  'modelVersion',
  'imageId',
  'thumbnailUrl',
];
const LOG_FRAME_COLUMNS: PredictionColumn[] = [
  'time',
  'plotType',
  'run',
  'verdict',
  'severity',
  'confidence',
  'confirmed',
  'imageId',
  'imageUrl',
];

/** Predictions, one row each, oldest first (Grafana's time series order), with a p(class) column per class. */
export function predictionsFrame(
  predictions: Prediction[],
  meta: HydraFrameMeta,
  refId?: string,
  name = 'predictions'
): DataFrame {
  const rows = oldestFirst(predictions);
  return hydraFrame(name, refId, meta, [
    ...columnsOf(PREDICTION_COLUMNS, rows, { apiUrl: meta.apiUrl }, PREDICTIONS_FRAME_COLUMNS),
    ...classNames(rows).map((className) => ({
      name: `p(${className})`,
      type: FieldType.number,
      values: rows.map((p) => p.probabilities[className] ?? null),
    })),
  ]);
}

/** Severity of each plot type's classes, so the log can tell Good-like classes from problems. */
export function severities(plotTypes: PlotTypeInfo[]): Severities {
  return new Map(plotTypes.map((t) => [t.name, new Map(t.classes.map((c) => [c.name, c.severity]))]));
}

/** Whether a verdict is a problem: its class is not of severity ok (unknown classes: anything but Good). */
export function isProblem(prediction: Prediction, bySeverity: Severities): boolean {
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
  const context = { apiUrl: meta.apiUrl, bySeverity };
  return hydraFrame('log', refId, meta, columnsOf(PREDICTION_COLUMNS, rows, context, LOG_FRAME_COLUMNS));
}

const nullableTime = (iso: string | null) => (iso ? Date.parse(iso) : null);

/** The runs frame's columns; `problems` counts a run's problem verdicts. */
const RUN_COLUMNS = {
  run: [FieldType.number, (r) => r.number],
  startedAt: [FieldType.time, (r) => Date.parse(r.startedAt)],
  endedAt: [FieldType.time, (r) => nullableTime(r.endedAt)],
  beamState: [FieldType.string, (r) => r.beamState],
  images: [FieldType.number, (r) => r.images],
  problems: [FieldType.number, (r, { problems }) => problems.get(r.number) ?? 0],
  lastImageAt: [FieldType.time, (r) => nullableTime(r.lastImageAt)],
} satisfies Record<string, Column<Run, { problems: Map<number, number> }>>;

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
  return hydraFrame('runs', refId, meta, columnsOf(RUN_COLUMNS, rows, { problems }));
}

/** The models frame's columns; `plotType` is the name of the version's plot type. */
const MODEL_COLUMNS = {
  plotType: [FieldType.string, (v, { names }) => names.get(v.plotTypeId) ?? String(v.plotTypeId)],
  model: [FieldType.string, (v) => v.model],
  version: [FieldType.number, (v) => v.version],
  status: [FieldType.string, (v) => v.status],
  architecture: [FieldType.string, (v) => v.architecture],
  classes: [FieldType.string, (v) => v.classes.join(', ')],
  inputShape: [FieldType.string, (v) => v.inputShape.join('×')],
  createdAt: [FieldType.time, (v) => Date.parse(v.createdAt)],
} satisfies Record<string, Column<ModelVersion, { names: Map<number, string> }>>;

/** Model versions of every plot type, newest first within each. */
export function modelsFrame(
  plotTypes: PlotTypeInfo[],
  versions: ModelVersion[][],
  meta: HydraFrameMeta,
  refId?: string
): DataFrame {
  const names = new Map(plotTypes.map((t) => [t.id, t.name]));
  return hydraFrame('models', refId, meta, columnsOf(MODEL_COLUMNS, versions.flat(), { names }));
}

interface VerdictChange {
  time: number;
  title: string;
  text: string;
  tags: string[];
}

/** The verdict changes frame's columns: Grafana's annotation fields. */
const VERDICT_CHANGE_COLUMNS = {
  time: [FieldType.time, (e) => e.time],
  title: [FieldType.string, (e) => e.title],
  text: [FieldType.string, (e) => e.text],
  tags: [FieldType.other, (e) => e.tags],
} satisfies Record<string, Column<VerdictChange>>;

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
  const previous = new Map<string, string>();
  const events: VerdictChange[] = [];
  for (const p of oldestFirst(predictions)) {
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
  return hydraFrame('verdictChanges', refId, meta, columnsOf(VERDICT_CHANGE_COLUMNS, events, undefined));
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
