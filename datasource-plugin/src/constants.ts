import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
/** The proxy route in plugin.json: Grafana forwards `<datasource url>/hydra/...` and adds the API token. */
export const PROXY_ROUTE = pluginJson.routes[0]!.path;
export const API_PREFIX = '/api/v1';
/** Oldest inference server whose API this data source speaks. */
export const MIN_SERVER_VERSION = '0.1.0';
/** Saved queries carry this version; see migrations.ts. */
export const QUERY_SCHEMA_VERSION = 1;
export const DEFAULT_LIMIT = 500;
/** Short polling when the event stream is not available: a new verdict shows within this plus a request. */
export const POLL_INTERVAL_MS = 2000;
