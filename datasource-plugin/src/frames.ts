// The frame contract between this data source and the plot-grid panel: field names and frame metadata.
// The panel imports these names, so the two cannot drift.

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
  gradcamUrl: 'gradcamUrl',
  /** The plot type's reference (JSON: a Reference with its fileUrl), through the proxy */
  referenceUrl: 'referenceUrl',
  /** class name → probability */
  probabilities: 'probabilities',
  /** the plot type's classes: [{name, colour, severity}] */
  classes: 'classes',
} as const;

/** `frame.meta.custom` of every frame this data source returns. */
export interface HydraFrameMeta {
  /** The inference server's API through Grafana's proxy, e.g. /api/datasources/proxy/uid/x/hydra/api/v1 */
  apiUrl: string;
  deployment: string;
}

export const PLOTS_FRAME_NAME = 'plots';
