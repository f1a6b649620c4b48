import path from 'node:path';
import { fileURLToPath } from 'node:url';
import envSchema from 'env-schema';
import { Type, type Static } from 'typebox';
import { BACKENDS } from './enums.ts';
import type { SizeLimit } from './errors.ts';

const BooleanFlag = (defaultValue: boolean, description: string) =>
  Type.Boolean({ default: defaultValue, description });

/** Every setting of the server, read from the environment (and an optional .env-style file). */
export const ConfigSchema = Type.Object({
  HYDRA_HOST: Type.String({ default: '127.0.0.1', description: 'Address to listen on' }),
  HYDRA_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'Port to listen on' }),
  HYDRA_INSTANCE_ID: Type.String({
    default: '',
    maxLength: 200,
    description:
      'Name of this replica (it owns the images and training jobs it claims); empty means the host name. ' +
      'Replicas on one PostgreSQL need names of their own: a second running replica of a name refuses to start',
  }),
  HYDRA_LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'pino log level',
  }),
  HYDRA_DATA_DIR: Type.String({
    default: 'data',
    description: 'Folder for images, thumbnails, models and the SQLite catalog',
  }),
  HYDRA_DATABASE_URL: Type.String({
    default: '',
    pattern: '^($|sqlite:|postgres(ql)?://)',
    description: 'sqlite:PATH or postgres://...; empty means sqlite:<HYDRA_DATA_DIR>/hydra.sqlite',
  }),
  HYDRA_INFLUX_URL: Type.String({
    default: '',
    pattern: '^($|https?://)',
    description:
      'InfluxDB 1.x URL with the database as path, e.g. http://127.0.0.1:8086/hydra; empty disables',
  }),
  HYDRA_INFLUX_FLUSH_MS: Type.Integer({ default: 1000, minimum: 10, description: 'Write interval' }),
  HYDRA_INFLUX_BATCH_SIZE: Type.Integer({ default: 5000, minimum: 1, description: 'Points per write' }),
  HYDRA_INFLUX_BUFFER_MAX: Type.Integer({
    default: 100_000,
    minimum: 1,
    description: 'Points kept while InfluxDB is down; older ones are dropped (and counted) beyond this',
  }),
  HYDRA_INFLUX_SERVER_INTERVAL_MS: Type.Integer({
    default: 10_000,
    minimum: 0,
    description: 'How often a hydra_server health point is written (the Status dashboard); 0 = never',
  }),
  HYDRA_STATUS_SAMPLE_SECONDS: Type.Number({
    default: 10,
    minimum: 0.05,
    description: 'How often the Status page history (/api/v1/status/history) takes a sample of the load',
  }),
  HYDRA_STATUS_HISTORY_MINUTES: Type.Integer({
    default: 180,
    minimum: 1,
    maximum: 10_080,
    description: 'How long the Status page history keeps its samples (in memory, per replica)',
  }),
  HYDRA_STATUS_STORAGE_SECONDS: Type.Integer({
    default: 300,
    minimum: 1,
    description: 'Shortest time between two walks of the image store to measure its disk use (in /status)',
  }),
  HYDRA_BACKEND: Type.Enum(['auto', ...BACKENDS], {
    default: 'auto',
    description: 'TensorFlow.js backend; auto tries GPU, native CPU, then wasm',
  }),
  HYDRA_WORKERS: Type.Integer({ default: 0, minimum: 0, description: 'Inference workers; 0 = one per core' }),
  HYDRA_TRAINING_WORKERS: Type.Integer({
    default: 1,
    minimum: 1,
    maximum: 64,
    description: 'Training jobs that run at once, each in a worker thread (on wasm, one core each)',
  }),
  HYDRA_PROMOTION_MARGIN: Type.Number({
    default: 0.02,
    minimum: 0,
    maximum: 1,
    description:
      'How far test accuracy or Bad recall may fall below the active version before a promotion needs a confirmation',
  }),
  HYDRA_BATCH_SIZE: Type.Integer({ default: 16, minimum: 1, maximum: 512, description: 'Images per batch' }),
  HYDRA_BATCH_WAIT_MS: Type.Integer({
    default: 100,
    minimum: 0,
    description: 'Longest wait for a batch to fill before it is flushed',
  }),
  HYDRA_REPROCESS_BATCH_SIZE: Type.Integer({
    default: 4,
    minimum: 1,
    maximum: 512,
    description:
      'Images per reprocessing batch: a live burst that finds a worker reprocessing waits for at most one such batch',
  }),
  HYDRA_REPROCESS_WORKERS: Type.Integer({
    default: 0,
    minimum: 0,
    description:
      'Inference workers reprocessing may keep busy at once; 0 = all but one (one when there is only one)',
  }),
  HYDRA_CLAIM_LEASE_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    description:
      'How long a claim on a pending image or a training job holds; its replica renews it every third of this ' +
      'while it works, so another replica takes over the claims of one that stopped within this time',
  }),
  HYDRA_MAX_UPLOAD_BYTES: Type.Integer({ default: 20 * 1024 * 1024, minimum: 1024, description: 'Per file' }),
  HYDRA_MAX_MODEL_BYTES: Type.Integer({
    default: 1024 * 1024 * 1024,
    minimum: 1024,
    description: 'Per model file (weights of VGG16 are over 500 MB)',
  }),
  HYDRA_MAX_IMAGE_PIXELS: Type.Integer({
    default: 40_000_000,
    minimum: 1,
    description: 'Width × height limit; guards against decompression bombs',
  }),
  HYDRA_REQUEST_TIMEOUT_MS: Type.Integer({
    default: 300_000,
    minimum: 100,
    description:
      'Longest time to receive a whole request, body included (a 1 GB model at 10 MB/s takes 100 s); ' +
      'a body that never ends or trickles is closed after it',
  }),
  HYDRA_IDLE_TIMEOUT_MS: Type.Integer({
    default: 60_000,
    minimum: 100,
    description:
      'A connection on which nothing moves for this long is closed (event streams send heartbeats)',
  }),
  HYDRA_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    default: 65_000,
    minimum: 100,
    description: 'How long an idle keep-alive connection stays open for the next request',
  }),
  HYDRA_EVENT_STREAMS_PER_TOKEN: Type.Integer({
    default: 64,
    minimum: 1,
    description: 'Open event streams (/api/v1/events) per API token; Grafana opens one per panel and viewer',
  }),
  HYDRA_EVENT_STREAM_BUFFER_BYTES: Type.Integer({
    default: 1024 * 1024,
    minimum: 1024,
    description: 'Bytes an event stream may have unsent; a reader that falls further behind is disconnected',
  }),
  HYDRA_AUTH_FAILURES_PER_MINUTE: Type.Integer({
    default: 30,
    minimum: 0,
    description:
      'Failed authentications (401) one client address may have in a minute; beyond, its requests get 429 ' +
      'until the minute is over (/api/v1/health excepted); 0 = no limit',
  }),
  HYDRA_UPLOADS_PER_MINUTE: Type.Integer({
    default: 1200,
    minimum: 0,
    description:
      'Image uploads per API token per minute (75 times the rate of Hall D); beyond, 429 with Retry-After, so that ' +
      'one runaway DAQ script cannot starve the others; 0 = no limit (none without auth either)',
  }),
  HYDRA_TRUST_PROXY: Type.String({
    default: '',
    description:
      'Reverse proxies whose X-Forwarded-For names the client (addresses or CIDRs, comma-separated; true = ' +
      'any): the per-address limits then count clients, not the proxy; empty = the peer is the client',
  }),
  HYDRA_EPICS_CA_ADDR_LIST: Type.String({
    default: '',
    description: 'EPICS_CA_ADDR_LIST for Channel Access (hosts of the IOCs); empty disables EPICS',
  }),
  HYDRA_EPICS_CA_SERVER_PORT: Type.Integer({
    default: 5064,
    minimum: 1,
    maximum: 65535,
    description: 'EPICS_CA_SERVER_PORT of the IOCs',
  }),
  HYDRA_EPICS_PV_PREFIX: Type.String({ default: 'HYDRA:', description: 'Prefix of every PV Hydra writes' }),
  HYDRA_EPICS_PLOT_PV: Type.String({
    default: '{prefix}{deployment}:{plot}',
    description:
      "Name of a plot type's verdict PV ({prefix}, {deployment}, {plot}); it holds p(Good) − p(Bad)",
  }),
  HYDRA_EPICS_BEAM_CURRENT_PV: Type.String({
    default: '',
    description: 'PV of the beam current, monitored; empty means the beam state is unknown and never gates',
  }),
  HYDRA_EPICS_BEAM_THRESHOLD: Type.Number({
    default: 0,
    minimum: 0,
    description: 'Below this beam current the beam is off and alarm writes are suppressed',
  }),
  HYDRA_EPICS_RUN_NUMBER_PV: Type.String({
    default: '',
    description: 'PV of the run number, monitored; it sets the run of images that arrive without one',
  }),
  HYDRA_EPICS_PUT_TIMEOUT_MS: Type.Integer({ default: 2000, minimum: 10, description: 'Per put' }),
  HYDRA_EPICS_RECONNECT_MAX_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    description: 'Longest back-off between reconnection attempts to an IOC that is down',
  }),
  HYDRA_ALERT_WEBHOOK_SECRET: Type.String({
    default: '',
    description:
      'HMAC secret of the Grafana alerting webhook contact point; empty refuses every notification',
  }),
  HYDRA_ALERT_SIGNATURE_HEADER: Type.String({
    default: 'X-Grafana-Alerting-Signature',
    description: 'hmacConfig.header of the contact point',
  }),
  HYDRA_ALERT_TIMESTAMP_HEADER: Type.String({
    default: 'X-Grafana-Alerting-Timestamp',
    description:
      'hmacConfig.timestampHeader of the contact point (Grafana has no default: set both the same)',
  }),
  HYDRA_ALERT_MAX_AGE_S: Type.Integer({
    default: 300,
    minimum: 1,
    description: 'A notification signed longer ago than this (or this far in the future) is refused as stale',
  }),
  HYDRA_ALERT_BODY_LIMIT_BYTES: Type.Integer({
    default: 1024 * 1024,
    minimum: 1024,
    description: 'Largest alert notification accepted (Grafana sends up to maxAlerts alerts in one)',
  }),
  HYDRA_ALERT_WRITE_ATTEMPTS: Type.Integer({
    default: 5,
    minimum: 1,
    description: 'Puts tried per alarm write before it is recorded as failed',
  }),
  HYDRA_ALERT_RETRY_MS: Type.Integer({
    default: 1000,
    minimum: 10,
    description: 'Wait before the first retry of a failed alarm write; it doubles with each attempt',
  }),
  HYDRA_AUTH: BooleanFlag(true, 'Require Bearer API tokens; false is for local use only'),
  HYDRA_PREVIEW: BooleanFlag(
    false,
    'Serve the preview page at / (the plot grid and viewer outside Grafana); it reads the API without a token, ' +
      'so it needs HYDRA_AUTH=false (hydra serve --preview, npm run demo)',
  ),
  HYDRA_PREVIEW_DIR: Type.String({
    default: '',
    description:
      'Folder of the built preview page; empty = panel-plugin/preview/dist of this repository (npm run build:preview)',
  }),
  HYDRA_AUTO_REGISTER: BooleanFlag(false, 'Create unknown deployments and plot types on ingest'),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates settings from `source` (the environment by default). `HYDRA_CONFIG_FILE` names an optional
 * .env-style file whose values fill in what the environment does not set.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const data = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key.startsWith('HYDRA_') && value !== undefined),
  );
  const file = source.HYDRA_CONFIG_FILE;
  try {
    return envSchema<Config>({
      schema: ConfigSchema,
      data,
      env: false,
      dotenv: file ? { path: file } : false,
    });
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
}

/** Where the SQLite catalog lives when HYDRA_DATABASE_URL is empty. */
export function databaseUrl(config: Config): string {
  return config.HYDRA_DATABASE_URL || `sqlite:${path.join(config.HYDRA_DATA_DIR, 'hydra.sqlite')}`;
}

/** An upload size limit from the setting that holds it; the setting's name goes into the 413. */
export function sizeLimit(
  config: Config,
  setting: 'HYDRA_MAX_UPLOAD_BYTES' | 'HYDRA_MAX_MODEL_BYTES',
): SizeLimit {
  return { bytes: config[setting], setting };
}

/** Where the built preview page is: HYDRA_PREVIEW_DIR, or where `npm run build:preview` puts it in this repository. */
export function previewFolder(config: Config): string {
  return config.HYDRA_PREVIEW_DIR
    ? path.resolve(config.HYDRA_PREVIEW_DIR)
    : fileURLToPath(new URL('../../panel-plugin/preview/dist', import.meta.url));
}

/** The folders under HYDRA_DATA_DIR, named in one place so that the CLI and the server's plugins agree. */
export function dataFolders(config: Config): {
  root: string;
  models: string;
  weights: string;
  gradcam: string;
} {
  const root = path.resolve(config.HYDRA_DATA_DIR);
  return {
    root,
    models: path.join(root, 'models'),
    weights: path.join(root, 'weights'),
    gradcam: path.join(root, 'gradcam'),
  };
}
