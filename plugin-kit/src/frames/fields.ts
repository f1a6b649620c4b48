// The frame contract between the data source and the plugins that read its frames: field names and frame metadata.
// Both sides import these names, so they cannot drift.

/** Fields of the `plots` frame: one row per plot type. */
export const PlotField = {
  plotTypeId: 'plotTypeId',
  plotType: 'plotType',
  title: 'title',
  group: 'group',
  /** empty | pending | classified | failed | no_model */
  state: 'state',
  imageId: 'imageId',
  predictionId: 'predictionId',
  time: 'time',
  run: 'run',
  verdict: 'verdict',
  confidence: 'confidence',
  confirmed: 'confirmed',
  /** ok | warn | alarm: the severity of the verdict's class */
  severity: 'severity',
  colour: 'colour',
  modelVersion: 'modelVersion',
  imageUrl: 'imageUrl',
  thumbnailUrl: 'thumbnailUrl',
  /** class name → probability */
  probabilities: 'probabilities',
  /** the plot type's classes: [{name, colour, severity}] */
  classes: 'classes',
} as const;

/** `frame.meta.custom` of every frame the data source returns. */
export interface HydraFrameMeta {
  /** The inference server's API through Grafana's proxy, e.g. /api/datasources/proxy/uid/x/hydra/api/v1 */
  apiUrl: string;
  deployment: string;
}

export const PLOTS_FRAME_NAME = 'plots';

/** Width in pixels of the thumbnails that frames link to. */
export const THUMBNAIL_WIDTH = 320;
