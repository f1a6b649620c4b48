import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  AlertStatus,
  AlertWriteStatus,
  BeamState,
  ClassSeverity,
  ImageStatus,
  LabelSource,
  ModelKind,
  ModelVersionStatus,
  ReprocessItemStatus,
  ReprocessJobStatus,
  Role,
  SplitName,
  TrainingJobStatus,
} from '../enums.ts';

// Times are epoch milliseconds and flags are 0/1 integers, so SQLite and PostgreSQL share one code path.
// JSON is stored as text for the same reason.

/** A column added after its table: optional on insert. */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

// These are the raw rows: only the repositories (./repositories) read them, and they decode them into domain rows.

export interface DeploymentTable {
  id: Generated<number>;
  name: string;
  title: string;
  created_at: number;
}

export interface PlotTypeTable {
  id: Generated<number>;
  deployment_id: number;
  name: string;
  group_name: string;
  title: string;
  active_model_version_id: number | null;
  /** The autoencoder whose anomaly score every new verdict of the plot type carries; null: none. */
  active_anomaly_version_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The Siamese encoder whose embeddings measure the distance from the reference; null: the plain pixel distance. */
  active_siamese_version_id: ColumnType<number | null, number | null | undefined, number | null>;
  collect_percent: ColumnType<number, number | undefined, number>;
  is_chunked: ColumnType<number, number | undefined, number>;
  hidden: ColumnType<number, number | undefined, number>;
  created_at: number;
}

export interface ClassTable {
  id: Generated<number>;
  plot_type_id: number;
  name: string;
  colour: string;
  severity: ClassSeverity;
  position: number;
}

export interface RunTable {
  id: Generated<number>;
  deployment_id: number;
  number: number;
  started_at: number;
  ended_at: number | null;
  beam_state: string | null;
}

export interface ImageTable {
  id: Generated<number>;
  sha256: string;
  /** plot type, run, chunk and hash: the same upload twice is one image. */
  dedup_key: string;
  plot_type_id: number;
  run_id: number | null;
  chunk: string | null;
  captured_at: number;
  received_at: number;
  path: string;
  format: string;
  bytes: number;
  width: number;
  height: number;
  status: ImageStatus;
  error: string | null;
  claimed_by: string | null;
  claimed_until: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  // Copies for the labeler's sorts and filters (migration 0008): kept by the repositories that change them.
  run_number: Nullable<number>;
  latest_prediction_id: Nullable<number>;
  verdict: Nullable<string>;
  confidence: Nullable<number>;
  margin: Nullable<number>;
  entropy: Nullable<number>;
  /** The current label's class. */
  label_class: Nullable<string>;
  /** The latest verdict's confidence when it disagrees with the current label. */
  mistakenness: Nullable<number>;
  /** How unlike its plot type's other images it looked at their latest clustering (percentile, 1 most unique). */
  uniqueness: Nullable<number>;
}

/** Images per plot type and UTC day (epoch ms / 86,400,000), kept by triggers on image (migration 0016). */
export interface ImageDayCountTable {
  plot_type_id: number;
  day: number;
  images: number;
}

export interface PredictionTable {
  id: Generated<number>;
  image_id: number;
  /** Its image's plot type (migration 0020), so the log and a plot type's predictions need no image row. */
  plot_type_id: number;
  model_version_id: number;
  probabilities: string;
  verdict: string;
  confidence: number;
  confirmed: number;
  /** From acceptance to verdict. */
  latency_ms: number;
  /** The image's share of its batch's forward pass. */
  inference_ms: number;
  created_at: number;
  /** Top-1 minus top-2 probability; null for rows the 0008 migration could not read. */
  margin: Nullable<number>;
  /** Entropy of the probabilities, in nats. */
  entropy: Nullable<number>;
  /** 1 once InfluxDB acknowledged (or refused for good) the prediction's point, or for one never to be written. */
  point_written: ColumnType<number, number | undefined, number>;
  beam: ColumnType<BeamState, BeamState | undefined, BeamState>;
  /** The reprocessing job that made it; null for a live verdict. Only live verdicts are an image's latest. */
  reprocess_job_id: Nullable<number>;
  /** The plot type's active autoencoder when the verdict was made; null: none was active. */
  anomaly_version_id: Nullable<number>;
  /** Its reconstruction error of the image. */
  anomaly_score: Nullable<number>;
  /** 1 when the score exceeded the autoencoder's calibrated threshold. */
  anomalous: Nullable<number>;
  /** The plot type's reference when the verdict was made; null: it had none. */
  reference_image_id: Nullable<number>;
  /** The Siamese encoder that measured the distance; null: the plain pixel distance. */
  reference_version_id: Nullable<number>;
  /** The image's distance from the reference. */
  reference_distance: Nullable<number>;
  /** 1 when the distance exceeded the encoder's calibrated threshold; null: no threshold (pixels). */
  reference_anomalous: Nullable<number>;
}

export interface ModelTable {
  id: Generated<number>;
  plot_type_id: number;
  name: string;
  architecture: string;
  created_at: number;
}

export interface ModelVersionTable {
  id: Generated<number>;
  model_id: number;
  version: number;
  status: ModelVersionStatus;
  kind: ColumnType<ModelKind, ModelKind | undefined, ModelKind>;
  input_shape: string;
  classes: string;
  thresholds: string;
  metrics: string | null;
  artifact_path: string;
  backend: string | null;
  created_at: number;
  activated_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** An autoencoder's or a Siamese encoder's threshold, calibrated on its plot type's recent images for anomaly_target_rate. */
  anomaly_threshold: Nullable<number>;
  /** The false-alarm rate the threshold was chosen for. */
  anomaly_target_rate: Nullable<number>;
  /** How many recent images the threshold was chosen on. */
  calibration_images: Nullable<number>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  role: Role;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  /** 1: Grafana holds it, and the user Grafana names in X-Grafana-User is who acts. */
  grafana_proxy: ColumnType<number, number | undefined, number>;
}

export interface LabelTable {
  id: Generated<number>;
  image_id: number;
  class_name: string;
  source: LabelSource;
  user_name: string;
  created_at: number;
  superseded_at: number | null;
  batch_id: Nullable<number>;
  /** The label this one superseded (null: the image was unlabeled): what undoing its batch restores. */
  replaced_label_id: Nullable<number>;
}

/** One apply of the labeler: labels of one class on images of one plot type, undoable as a whole. */
export interface LabelBatchTable {
  id: Generated<number>;
  plot_type_id: number;
  user_name: string;
  class_name: string;
  source: LabelSource;
  count: number;
  created_at: number;
  undone_at: number | null;
  /** The client's Apply it came with: one Apply writes a batch per class, and is undone as one. */
  apply_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Someone on shift saw a log entry (a non-Good verdict). */
export interface LogAcknowledgementTable {
  id: Generated<number>;
  prediction_id: number;
  user_name: string;
  comment: string | null;
  created_at: number;
}

export interface NewsTable {
  id: Generated<number>;
  text: string;
  /** Null: for every deployment. */
  deployment_id: number | null;
  author: string;
  created_at: number;
  expires_at: number | null;
}

export interface ReferenceTable {
  id: Generated<number>;
  plot_type_id: number;
  image_id: number;
  set_by: string;
  created_at: number;
  superseded_at: number | null;
}

export interface TrainingJobTable {
  id: Generated<number>;
  plot_type_id: number;
  status: TrainingJobStatus;
  architecture: string;
  /** JSON: the hyper-parameters asked for. */
  parameters: string;
  /** JSON: image ids of the train, validation and test splits, for reproducing the experiment. */
  split: string | null;
  /** JSON: the latest progress report. */
  progress: string | null;
  log: string;
  error: string | null;
  model_version_id: number | null;
  created_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The replica running the job, and until when (migration 0010): renewed while it runs. */
  claimed_by: Nullable<string>;
  claimed_until: Nullable<number>;
  /** Someone asked to cancel the running job, perhaps on another replica than the one running it. */
  cancel_requested: ColumnType<number, number | undefined, number>;
}

/** Which version became active for a plot type, from which, who did it, when and why: the registry's history. */
export interface ActivationTable {
  id: Generated<number>;
  plot_type_id: number;
  from_version_id: number | null;
  to_version_id: number;
  actor: string;
  reason: string;
  created_at: number;
}

/** A trained version's class probabilities of one image of its validation or test split (migration 0015). */
export interface SplitPredictionTable {
  model_version_id: number;
  split: SplitName;
  image_id: number;
  true_class: string;
  /** JSON: in the order of the version's classes. */
  probabilities: string;
}

export interface AlertEventTable {
  id: Generated<number>;
  /** The Grafana signature it came with: unique, so a replay finds it. */
  signature: string;
  receiver: string;
  status: AlertStatus;
  group_key: string;
  title: string;
  /** JSON: the alerts, summarised (fingerprint, status, labels, summary, alarm PV, repeated). */
  alerts: string;
  /** JSON: why alerts wrote less than they could. */
  notes: string;
  signed_at: number | null;
  received_at: number;
}

export interface AlertWriteTable {
  id: Generated<number>;
  event_id: number;
  /** The alert it comes from; null for the message write. */
  fingerprint: string | null;
  pv: string;
  /** JSON: a number or a string. */
  value: string;
  status: AlertWriteStatus;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: number;
  created_at: number;
  written_at: number | null;
}

/** The status last notified for each alert (by Grafana fingerprint). */
export interface AlertInstanceTable {
  fingerprint: string;
  status: AlertStatus;
  event_id: number;
  changed_at: number;
}

/** A model version run over a plot type's images of a run or time range, behind the live queue. */
export interface ReprocessJobTable {
  id: Generated<number>;
  plot_type_id: number;
  model_version_id: number;
  /** The range asked for: runs, or capture times (epoch ms); null ends are open. */
  run_from: number | null;
  run_to: number | null;
  time_from: number | null;
  time_to: number | null;
  status: ReprocessJobStatus;
  /** Images in the range when the job was made: its items. */
  total: number;
  done: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  created_by: string;
  cancelled_by: Nullable<string>;
  created_at: number;
  started_at: Nullable<number>;
  finished_at: Nullable<number>;
}

/** One image of a reprocessing job: the job's queue, claimed with a lease as pending images are. */
export interface ReprocessItemTable {
  id: Generated<number>;
  job_id: number;
  image_id: number;
  status: ReprocessItemStatus;
  claimed_by: Nullable<string>;
  claimed_until: Nullable<number>;
  attempts: ColumnType<number, number | undefined, number>;
  error: Nullable<string>;
}

/** An entry of the shift logbook, imported (migration 0017); its content hash makes a re-import add nothing. */
export interface LogbookEntryTable {
  id: Generated<number>;
  deployment_id: number;
  written_at: number;
  author: string;
  text: string;
  detector: string | null;
  plot_type: string | null;
  run_number: number | null;
  content_hash: string;
  imported_by: string;
  imported_at: number;
}

/** A word of a deployment's logbook that names a plot type, on top of the defaults (migration 0017). */
export interface LogbookTermTable {
  id: Generated<number>;
  deployment_id: number;
  term: string;
  plot_type_id: number;
}

export interface Database {
  alert_event: AlertEventTable;
  alert_instance: AlertInstanceTable;
  alert_write: AlertWriteTable;
  activation: ActivationTable;
  label: LabelTable;
  label_batch: LabelBatchTable;
  log_acknowledgement: LogAcknowledgementTable;
  logbook_entry: LogbookEntryTable;
  logbook_term: LogbookTermTable;
  news: NewsTable;
  reference: ReferenceTable;
  training_job: TrainingJobTable;
  split_prediction: SplitPredictionTable;
  deployment: DeploymentTable;
  plot_type: PlotTypeTable;
  class: ClassTable;
  run: RunTable;
  image: ImageTable;
  image_day_count: ImageDayCountTable;
  prediction: PredictionTable;
  model: ModelTable;
  model_version: ModelVersionTable;
  api_token: ApiTokenTable;
  reprocess_job: ReprocessJobTable;
  reprocess_item: ReprocessItemTable;
}

export type DeploymentRow = Selectable<DeploymentTable>;
export type PlotTypeRow = Selectable<PlotTypeTable>;
export type ClassRow = Selectable<ClassTable>;
export type RunRow = Selectable<RunTable>;
export type ImageRow = Selectable<ImageTable>;
export type NewImage = Insertable<ImageTable>;
export type PredictionRow = Selectable<PredictionTable>;
export type NewPrediction = Insertable<PredictionTable>;
export type ModelRow = Selectable<ModelTable>;
export type ModelVersionRow = Selectable<ModelVersionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type LabelRow = Selectable<LabelTable>;
export type ReferenceRow = Selectable<ReferenceTable>;
export type TrainingJobRow = Selectable<TrainingJobTable>;
export type ActivationRow = Selectable<ActivationTable>;
export type LabelBatchRow = Selectable<LabelBatchTable>;
export type LogAcknowledgementRow = Selectable<LogAcknowledgementTable>;
export type NewsRow = Selectable<NewsTable>;
export type AlertEventRecord = Selectable<AlertEventTable>;
export type AlertWriteRecord = Selectable<AlertWriteTable>;
export type ReprocessJobRecord = Selectable<ReprocessJobTable>;
