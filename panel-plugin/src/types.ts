import type { PlotClass } from '@hydra/inference-server/api';

/** Panel options, set in the panel editor. */
export interface PanelOptions {
  /** A line of news for the shift crew, shown in the header. */
  news: string;
  /** Verdicts in the viewer's strip of this plot's history. */
  historyLength: number;
  /** Speak the plot's name after the alarm tone. */
  speakNames: boolean;
  /** Where "Open in the labeler" goes; {imageId} and {plotType} are filled in. */
  labelerUrl: string;
}

/** One card: a plot type with its latest image and verdict, read from the data source's plots frame. */
export interface PlotRow {
  plotTypeId: number;
  plotType: string;
  title: string;
  group: string;
  state: string;
  imageId: number | null;
  predictionId: number | null;
  time: number | null;
  run: number | null;
  verdict: string | null;
  confidence: number | null;
  confirmed: boolean;
  severity: string | null;
  colour: string | null;
  modelVersion: number | null;
  imageUrl: string | null;
  thumbnailUrl: string | null;
  probabilities: Record<string, number> | null;
  classes: PlotClass[];
}
