// Every enum of the domain, once. The TypeBox schemas (src/schemas), the catalog's column types
// (src/catalog/database.ts) and the ML core are built from these tuples, so they cannot drift.

type Member<T extends readonly string[]> = T[number];

export const ROLES = ['viewer', 'labeler', 'expert', 'admin', 'ingest'] as const;
export type Role = Member<typeof ROLES>;

/** What a role may do. `ingest` is for the machines that feed plots; people hold the other four. */
export const RIGHTS = ['read', 'ingest', 'label', 'expert', 'admin'] as const;
export type Right = Member<typeof RIGHTS>;

export const IMAGE_STATUSES = ['pending', 'classified', 'failed', 'no_model'] as const;
export type ImageStatus = Member<typeof IMAGE_STATUSES>;

/** What a plot card shows: an image's status, or `empty` for a plot type with no image yet. */
export const PLOT_STATES = ['empty', ...IMAGE_STATUSES] as const;
export type PlotState = Member<typeof PLOT_STATES>;

export const MODEL_VERSION_STATUSES = ['training', 'ready', 'active', 'retired'] as const;
export type ModelVersionStatus = Member<typeof MODEL_VERSION_STATUSES>;

export const CLASS_SEVERITIES = ['ok', 'warn', 'alarm'] as const;
export type ClassSeverity = Member<typeof CLASS_SEVERITIES>;

export const LABEL_SOURCES = ['labeler', 'override', 'import'] as const;
export type LabelSource = Member<typeof LABEL_SOURCES>;

/** What happened to a label batch, as the live `label` event says. */
export const LABEL_ACTIONS = ['applied', 'undone', 'redone'] as const;
export type LabelAction = Member<typeof LABEL_ACTIONS>;

export const LABEL_FILTERS = ['all', 'labeled', 'unlabeled', 'disagreement'] as const;
export type LabelFilter = Member<typeof LABEL_FILTERS>;

/**
 * The labeler's orders: `run` and the active-learning scores list only the images that have the value (`most-unique`:
 * the images of the plot type's latest clustering).
 */
export const LABEL_SORTS = [
  'newest',
  'run',
  'least-confident',
  'smallest-margin',
  'highest-entropy',
  'most-mistaken',
  'most-unique',
] as const;
export type LabelSort = Member<typeof LABEL_SORTS>;

/**
 * How a training job stands. `not-useful`: it trained to the end, but its model is no better than always answering
 * the most frequent class; the version is kept for inspection and never activated.
 */
export const TRAINING_JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'not-useful',
] as const;
export type TrainingJobStatus = Member<typeof TRAINING_JOB_STATUSES>;

/** The held-out parts of a training split whose per-image probabilities a trained version keeps. */
export const SPLIT_NAMES = ['validation', 'test'] as const;
export type SplitName = Member<typeof SPLIT_NAMES>;

export const ARCHITECTURES = ['small-cnn', 'inceptionv3', 'vgg16'] as const;
export type ArchitectureName = Member<typeof ARCHITECTURES>;

export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = Member<typeof BACKENDS>;

/** The beam at a verdict, read from the beam-current PV: `unknown` without EPICS or before the first reading. */
export const BEAM_STATES = ['on', 'off', 'unknown'] as const;
export type BeamState = Member<typeof BEAM_STATES>;

/** Where Hydra stands with the EPICS IOCs. */
export const EPICS_CONNECTION_STATES = ['not_configured', 'connecting', 'connected', 'disconnected'] as const;
export type EpicsConnectionState = Member<typeof EPICS_CONNECTION_STATES>;

/**
 * How a model's outputs are read: a classifier's class probabilities make the verdict; an autoencoder's
 * reconstruction error is an anomaly score, and a Siamese encoder's embedding gives the distance from the plot type's
 * reference, both written beside the verdict.
 */
export const MODEL_KINDS = ['classifier', 'autoencoder', 'siamese'] as const;
export type ModelKind = Member<typeof MODEL_KINDS>;
/** The kinds that read images beside the verdict, each trained and activated on its own. */
export type EncoderKind = Exclude<ModelKind, 'classifier'>;

/** A Grafana alert's status, as its webhook sends it. */
export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = Member<typeof ALERT_STATUSES>;

/** An alarm write's outcome; `superseded`: a newer write to the same PV came first, so it is never sent. */
export const ALERT_WRITE_STATUSES = ['pending', 'ok', 'failed', 'superseded'] as const;
export type AlertWriteStatus = Member<typeof ALERT_WRITE_STATUSES>;

/** A reprocessing job: queued behind others, running, all its images done, or stopped by someone. */
export const REPROCESS_JOB_STATUSES = ['queued', 'running', 'completed', 'cancelled'] as const;
export type ReprocessJobStatus = Member<typeof REPROCESS_JOB_STATUSES>;

/** One image of a reprocessing job: waiting (maybe claimed), with its prediction, failed, or left by a cancel. */
export const REPROCESS_ITEM_STATUSES = ['pending', 'done', 'failed', 'cancelled'] as const;
export type ReprocessItemStatus = Member<typeof REPROCESS_ITEM_STATUSES>;

/** The files a logbook import takes: CSV with a header row, or JSON lines. */
export const LOGBOOK_FORMATS = ['csv', 'jsonl'] as const;
export type LogbookFormat = Member<typeof LOGBOOK_FORMATS>;

/** What an incident's timeline shows. */
export const INCIDENT_EVENT_KINDS = [
  'first-flag',
  'acknowledgement',
  'override',
  'logbook',
  'last-flag',
] as const;
export type IncidentEventKind = Member<typeof INCIDENT_EVENT_KINDS>;
