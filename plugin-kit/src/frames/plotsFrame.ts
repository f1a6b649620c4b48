import { FieldType, type DataFrame } from '@grafana/data';
import type { Plot, PlotClass, PlotList } from '@hydra/inference-server/api';
import { imageUrl } from '../client/urls';
import { PLOTS_FRAME_NAME, THUMBNAIL_WIDTH, type PlotField } from './fields';
import { columnsOf, hydraFrame, type Column } from './table';

type PlotFieldName = (typeof PlotField)[keyof typeof PlotField];

const classOf = (plot: Plot): PlotClass | undefined => plot.classes.find((c) => c.name === plot.prediction?.verdict);

/** The plots frame's columns, one per PlotField, from a plot and the API URL that its image URLs go through. */
const PLOT_COLUMNS: Record<PlotFieldName, Column<Plot, { apiUrl: string }>> = {
  plotTypeId: [FieldType.number, (p) => p.plotType.id],
  plotType: [FieldType.string, (p) => p.plotType.name],
  title: [FieldType.string, (p) => p.plotType.title],
  group: [FieldType.string, (p) => p.plotType.group],
  state: [FieldType.string, (p) => p.state],
  imageId: [FieldType.number, (p) => p.image?.id ?? null],
  predictionId: [FieldType.number, (p) => p.prediction?.id ?? null],
  time: [FieldType.time, (p) => (p.image ? Date.parse(p.image.capturedAt) : null)],
  run: [FieldType.number, (p) => p.image?.run ?? null],
  verdict: [FieldType.string, (p) => p.prediction?.verdict ?? null],
  confidence: [FieldType.number, (p) => p.prediction?.confidence ?? null],
  confirmed: [FieldType.boolean, (p) => p.prediction?.confirmed ?? false],
  severity: [FieldType.string, (p) => classOf(p)?.severity ?? null],
  colour: [FieldType.string, (p) => classOf(p)?.colour ?? null],
  modelVersion: [FieldType.number, (p) => p.prediction?.modelVersion ?? null],
  imageUrl: [FieldType.string, (p, { apiUrl }) => (p.image ? imageUrl(apiUrl, p.image.id) : null)],
  thumbnailUrl: [
    FieldType.string,
    (p, { apiUrl }) => (p.image ? imageUrl(apiUrl, p.image.id, 'thumbnail', { width: THUMBNAIL_WIDTH }) : null),
  ],
  probabilities: [FieldType.other, (p) => p.prediction?.probabilities ?? null],
  classes: [FieldType.other, (p) => p.classes],
};

/** The latest plots: one row per plot type with its image, verdict, colours and the URLs the panel needs. */
export function plotsFrame(list: PlotList, apiUrl: string, refId?: string, group?: string): DataFrame {
  const plots = list.items.filter((plot) => !group || plot.plotType.group === group);
  return hydraFrame(
    PLOTS_FRAME_NAME,
    refId,
    { apiUrl, deployment: list.deployment },
    columnsOf(PLOT_COLUMNS, plots, { apiUrl })
  );
}
