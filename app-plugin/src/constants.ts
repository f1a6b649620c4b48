import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
/** Where Grafana mounts the app's pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

export const ROUTES = {
  labeler: 'labeler',
  log: 'log',
  news: 'news',
  library: 'library',
  runs: 'runs',
  browse: 'browse',
  summary: 'summary',
  incidents: 'incidents',
  status: 'status',
} as const;

/** The Labeler with an image open in its preview, its plot type selected: where the panel's viewer links. */
export const labelerLink = (imageId: number, plotType: string) =>
  `${PLUGIN_BASE_URL}/${ROUTES.labeler}?imageId=${imageId}&plotType=${encodeURIComponent(plotType)}`;
