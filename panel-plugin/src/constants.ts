import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
/** Where hidden plots are remembered, per user and panel. */
export const HIDDEN_STORAGE_PREFIX = `${PLUGIN_ID}:hidden`;
/** Legend entries for plots without a verdict. */
export const NO_MODEL = 'No model';
export const NO_IMAGE = 'No image';
export const PENDING = 'Pending';
export const FAILED = 'Failed';
