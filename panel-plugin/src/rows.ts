import type { DataFrame } from '@grafana/data';
import { PlotField } from '@hydra/plugin-kit/frames';
import { FAILED, NO_IMAGE, NO_MODEL, PENDING } from './constants';
import type { PlotRow } from './types';

/**
 * The plots frame as rows. A row whose plot has not changed (same image, prediction and state) is the very object
 * of `previous`, so memoised cards skip re-rendering when a new verdict arrives for another plot.
 */
export function rowsFromFrame(frame: DataFrame | undefined, previous: Map<number, PlotRow> = new Map()): PlotRow[] {
  if (!frame) {
    return [];
  }
  const column = (name: string): unknown[] => frame.fields.find((f) => f.name === name)?.values ?? [];
  const columns = Object.fromEntries(Object.values(PlotField).map((name) => [name, column(name)]));
  const rows: PlotRow[] = [];
  for (let i = 0; i < frame.length; i++) {
    const value = <T>(name: string) => (columns[name]![i] ?? null) as T;
    const row: PlotRow = {
      plotTypeId: value(PlotField.plotTypeId),
      plotType: value(PlotField.plotType),
      title: value(PlotField.title),
      group: value(PlotField.group),
      state: value(PlotField.state),
      imageId: value(PlotField.imageId),
      predictionId: value(PlotField.predictionId),
      time: value(PlotField.time),
      run: value(PlotField.run),
      verdict: value(PlotField.verdict),
      confidence: value(PlotField.confidence),
      confirmed: Boolean(value(PlotField.confirmed)),
      severity: value(PlotField.severity),
      colour: value(PlotField.colour),
      modelVersion: value(PlotField.modelVersion),
      imageUrl: value(PlotField.imageUrl),
      thumbnailUrl: value(PlotField.thumbnailUrl),
      probabilities: value(PlotField.probabilities),
      classes: value(PlotField.classes) ?? [],
    };
    const before = previous.get(row.plotTypeId);
    const unchanged =
      before &&
      before.imageId === row.imageId &&
      before.predictionId === row.predictionId &&
      before.state === row.state &&
      before.colour === row.colour;
    rows.push(unchanged ? before : row);
  }
  return rows;
}

/** What the legend and the class filter call a row: its verdict, or why it has none. */
export function categoryOf(row: PlotRow): string {
  switch (row.state) {
    case 'classified':
      return row.verdict ?? NO_MODEL;
    case 'no_model':
      return NO_MODEL;
    case 'empty':
      return NO_IMAGE;
    case 'pending':
      return PENDING;
    default:
      return FAILED;
  }
}

/** A plot that should be on top and may sound the alarm: its verdict's class has severity alarm. */
export const isBad = (row: PlotRow) => row.state === 'classified' && row.severity === 'alarm';
