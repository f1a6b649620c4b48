import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
/** Oldest inference server whose API this data source speaks. */
export const MIN_SERVER_VERSION = '0.1.0';
/** Saved queries carry this version; see migrations.ts. */
export const QUERY_SCHEMA_VERSION = 1;
export const DEFAULT_LIMIT = 500;
