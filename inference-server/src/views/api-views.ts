import type { Catalog, ImageWithContext, PredictionWithImage, VersionWithModel } from '../catalog/catalog.ts';
import type { LabeledImageRow } from '../catalog/labels.ts';
import type { TrainingJobWithNames } from '../catalog/training-jobs.ts';
import type { LabelRow, ReferenceRow } from '../catalog/database.ts';
import type {
  Image,
  Label,
  LabeledImage,
  ModelVersion,
  Prediction,
  Reference,
  Run,
  TrainingJob,
} from '../schemas/index.ts';

// Catalog rows → the API's shapes. The only place that knows both.

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const imageUrls = (imageId: number) => ({
  fileUrl: `/api/v1/images/${imageId}/file`,
  thumbnailUrl: `/api/v1/images/${imageId}/thumbnail`,
});

export function predictionView(row: PredictionWithImage): Prediction {
  return {
    id: row.id,
    imageId: row.image_id,
    deployment: row.deployment,
    plotType: row.plot_type,
    run: row.run_number,
    modelVersionId: row.model_version_id,
    modelVersion: row.model_version,
    probabilities: JSON.parse(row.probabilities) as Record<string, number>,
    verdict: row.verdict,
    confidence: row.confidence,
    confirmed: row.confirmed === 1,
    latencyMs: row.latency_ms,
    capturedAt: iso(row.captured_at),
    createdAt: iso(row.created_at),
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

export function modelVersionView(row: VersionWithModel): ModelVersion {
  return {
    id: row.id,
    plotTypeId: row.plot_type_id,
    model: row.model_name,
    architecture: row.architecture,
    version: row.version,
    status: row.status,
    inputShape: JSON.parse(row.input_shape) as number[],
    classes: JSON.parse(row.classes) as string[],
    thresholds: JSON.parse(row.thresholds) as Record<string, number>,
    metrics: row.metrics === null ? null : (JSON.parse(row.metrics) as Record<string, unknown>),
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
  };
}

export function labeledImageView(row: LabeledImageRow): LabeledImage {
  return {
    imageId: row.image_id,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    run: row.run_number,
    capturedAt: iso(row.captured_at),
    status: row.status,
    thumbnailUrl: imageUrls(row.image_id).thumbnailUrl,
    label:
      row.label_id === null
        ? null
        : {
            id: row.label_id,
            class: row.label_class!,
            source: row.label_source!,
            user: row.label_user!,
            createdAt: iso(row.label_created_at!),
          },
    verdict: row.verdict,
    confidence: row.confidence,
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

export function trainingJobView(row: TrainingJobWithNames): TrainingJob {
  const split = row.split
    ? (JSON.parse(row.split) as Record<'train' | 'validation' | 'test', number[]>)
    : null;
  return {
    id: row.id,
    deployment: row.deployment,
    plotTypeId: row.plot_type_id,
    plotType: row.plot_type,
    status: row.status,
    architecture: row.architecture,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    splitSizes: split && {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
    },
    progress: row.progress ? (JSON.parse(row.progress) as TrainingJob['progress']) : null,
    log: row.log.split('\n').filter(Boolean),
    error: row.error,
    modelVersionId: row.model_version_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

export function runView(row: Awaited<ReturnType<Catalog['listRuns']>>[number]): Run {
  return {
    number: row.number,
    startedAt: iso(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    beamState: row.beam_state,
    images: Number(row.images),
    lastImageAt: row.last_image_at === null ? null : iso(Number(row.last_image_at)),
  };
}
