import type { ImageWithContext } from '../catalog/repositories/images-repository.ts';
import type { LabelBatch as LabelBatchRow } from '../catalog/repositories/label-batches-repository.ts';
import type {
  LabelerImageRow,
  LabelRow,
  Leaderboard as LeaderboardRows,
} from '../catalog/repositories/labels-repository.ts';
import type { LogEntryRow } from '../catalog/repositories/log-repository.ts';
import type { NewsRow } from '../catalog/repositories/news-repository.ts';
import type {
  Activation as ActivationRow,
  ModelVersionRow,
} from '../catalog/repositories/models-repository.ts';
import type { ReferenceRow } from '../catalog/repositories/references-repository.ts';
import type { RunSummary } from '../catalog/repositories/runs-repository.ts';
import type { ApiTokenRow } from '../catalog/repositories/tokens-repository.ts';
import type { TrainingJobRow } from '../catalog/repositories/training-jobs-repository.ts';
import type { LabelAction } from '../enums.ts';
import type { AutoencoderJob } from '../models/anomaly-service.ts';
import type { SiameseJob } from '../models/reference-distance-service.ts';
import type { AnomalyCalibration } from '../catalog/repositories/anomaly-repository.ts';
import type { Verdict } from '../pipeline/verdict.ts';
import type {
  Activation,
  ApiToken,
  AutoencoderTraining,
  Image,
  Label,
  LabelBatch,
  LabelChange,
  LabeledImage,
  Leaderboard,
  LogEntry,
  ModelVersion,
  NewsItem,
  Prediction,
  Reference,
  Run,
  SiameseTraining,
  TrainingJob,
} from '../schemas/index.ts';

// Domain rows → the API's shapes. The only place that knows both.

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const imageUrls = (imageId: number) => ({
  fileUrl: `/api/v1/images/${imageId}/file`,
  thumbnailUrl: `/api/v1/images/${imageId}/thumbnail`,
});

export function predictionView(v: Verdict): Prediction {
  return {
    id: v.id,
    imageId: v.imageId,
    deployment: v.deployment,
    plotType: v.plotType,
    run: v.run,
    modelVersionId: v.modelVersionId,
    model: v.model,
    modelVersion: v.modelVersion,
    kind: v.kind,
    probabilities: v.scores,
    verdict: v.verdict,
    confidence: v.confidence,
    confirmed: v.confirmed,
    beam: v.beam,
    latencyMs: v.latencyMs,
    capturedAt: iso(v.capturedAt),
    createdAt: iso(v.createdAt),
    ...(v.reprocessJobId !== undefined && { reprocessJobId: v.reprocessJobId }),
    ...(v.anomaly && {
      anomalyScore: v.anomaly.anomalyScore,
      anomalous: v.anomaly.anomalous,
      anomalyModelVersionId: v.anomaly.anomalyVersionId,
    }),
    ...(v.reference && {
      referenceDistance: v.reference.distance,
      referenceImageId: v.reference.referenceImageId,
      ...(v.reference.siameseVersionId !== null && { referenceModelVersionId: v.reference.siameseVersionId }),
      ...(v.reference.anomalous !== null && { referenceAnomalous: v.reference.anomalous }),
    }),
  };
}

export function imageView(row: ImageWithContext): Image {
  return {
    id: row.id,
    sha256: row.sha256,
    deployment: row.deployment,
    plotType: row.plot_type,
    run: row.run_number,
    chunk: row.chunk,
    capturedAt: iso(row.captured_at),
    receivedAt: iso(row.received_at),
    format: row.format,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    status: row.status,
    error: row.error,
    ...imageUrls(row.id),
  };
}

export function modelVersionView(row: ModelVersionRow): ModelVersion {
  return {
    id: row.id,
    plotTypeId: row.plot_type_id,
    model: row.model_name,
    architecture: row.architecture,
    version: row.version,
    status: row.status,
    kind: row.kind,
    inputShape: row.input_shape,
    classes: row.classes,
    thresholds: row.thresholds,
    metrics: row.metrics,
    createdAt: iso(row.created_at),
  };
}

export function labelView(row: LabelRow): Label {
  return {
    id: row.id,
    imageId: row.image_id,
    class: row.class_name,
    source: row.source,
    user: row.user_name,
    createdAt: iso(row.created_at),
    supersededAt: isoOrNull(row.superseded_at),
    batchId: row.batch_id,
  };
}

export function labeledImageView(row: LabelerImageRow): LabeledImage {
  return {
    imageId: row.image_id,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    run: row.run_number,
    capturedAt: iso(row.captured_at),
    status: row.status,
    ...imageUrls(row.image_id),
    label:
      row.label_id === null
        ? null
        : {
            id: row.label_id,
            class: row.label_class!,
            source: row.label_source!,
            user: row.label_user!,
            createdAt: iso(row.label_created_at!),
            batchId: row.label_batch_id,
          },
    verdict: row.verdict,
    confidence: row.confidence,
    margin: row.margin,
    entropy: row.entropy,
    mistakenness: row.mistakenness,
    uniqueness: row.uniqueness,
  };
}

export function labelBatchView(row: LabelBatchRow): LabelBatch {
  return {
    id: row.id,
    user: row.user_name,
    class: row.class_name,
    source: row.source,
    count: row.count,
    createdAt: iso(row.created_at),
    undoneAt: isoOrNull(row.undone_at),
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    applyId: row.apply_id,
  };
}

export function labelChangeView(
  batch: LabelBatchRow & { deployment: string; image_ids: number[] },
  action: LabelAction,
): LabelChange {
  return {
    id: batch.id,
    action,
    deployment: batch.deployment,
    plotTypeId: batch.plot_type_id,
    plotType: batch.plot_type,
    class: batch.class_name,
    source: batch.source,
    user: batch.user_name,
    count: batch.count,
    imageIds: batch.image_ids,
  };
}

export function apiTokenView(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
  };
}

export function leaderboardView(rows: LeaderboardRows): Leaderboard {
  return {
    people: rows.people,
    perHour: rows.perHour.map(({ hour, labels }) => ({ hour: iso(hour), labels })),
  };
}

export function logEntryView(row: LogEntryRow): LogEntry {
  const { acknowledgement } = row;
  return {
    predictionId: row.prediction_id,
    imageId: row.image_id,
    deployment: row.deployment,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    run: row.run_number,
    verdict: row.verdict,
    confidence: row.confidence,
    confirmed: row.confirmed,
    createdAt: iso(row.created_at),
    thumbnailUrl: imageUrls(row.image_id).thumbnailUrl,
    acknowledgement: acknowledgement && { ...acknowledgement, at: iso(acknowledgement.at) },
  };
}

export function newsView(row: NewsRow): NewsItem {
  return {
    id: row.id,
    text: row.text,
    deploymentId: row.deployment_id,
    author: row.author,
    createdAt: iso(row.created_at),
    expiresAt: isoOrNull(row.expires_at),
  };
}

export function referenceView(row: ReferenceRow): Reference {
  return {
    plotTypeId: row.plot_type_id,
    imageId: row.image_id,
    setBy: row.set_by,
    createdAt: iso(row.created_at),
    ...imageUrls(row.image_id),
  };
}

export function trainingJobView(row: TrainingJobRow): TrainingJob {
  const { split } = row;
  return {
    id: row.id,
    deployment: row.deployment,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    status: row.status,
    architecture: row.architecture,
    parameters: row.parameters,
    splitSizes: split && {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
    },
    progress: row.progress,
    log: row.log.split('\n').filter(Boolean),
    error: row.error,
    modelVersionId: row.model_version_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

export function runView(row: RunSummary): Run {
  return {
    number: row.number,
    startedAt: iso(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    beamState: row.beam_state,
    images: row.images,
    lastImageAt: isoOrNull(row.last_image_at),
  };
}

export function activationView(row: ActivationRow): Activation {
  return {
    id: row.id,
    plotTypeId: row.plot_type_id,
    model: row.to_model_name,
    fromVersionId: row.from_version_id,
    fromVersion: row.from_version,
    toVersionId: row.to_version_id,
    toVersion: row.to_version,
    actor: row.actor,
    reason: row.reason,
    createdAt: iso(row.created_at),
  };
}

export function autoencoderTrainingView(job: AutoencoderJob): AutoencoderTraining {
  return {
    status: job.status,
    epoch: job.epoch,
    epochs: job.epochs,
    loss: job.loss,
    trainImages: job.trainImages,
    calibrationImages: job.calibrationImages,
    error: job.error,
    modelVersionId: job.modelVersionId,
    baseWeights: job.baseWeights,
    createdBy: job.createdBy,
    startedAt: iso(job.startedAt),
    finishedAt: isoOrNull(job.finishedAt),
  };
}

export function siameseTrainingView({ classes, ...job }: SiameseJob): SiameseTraining {
  const { baseWeights: _baseWeights, ...common } = autoencoderTrainingView({ ...job, baseWeights: null });
  return { ...common, classes };
}

/** A calibrated autoencoder or Siamese encoder, as a status shows it. */
export function calibratedVersionView(active: { modelVersionId: number; calibration: AnomalyCalibration }) {
  return {
    modelVersionId: active.modelVersionId,
    threshold: active.calibration.threshold,
    targetFalseAlarmRate: active.calibration.targetRate,
    calibrationImages: active.calibration.images,
  };
}
