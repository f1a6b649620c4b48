import type { ImageWithContext, PredictionWithImage, VersionWithModel } from '../catalog/catalog.ts';
import type { Image, ModelVersion, Prediction } from '../schemas/index.ts';

// Catalog rows → the API's shapes. The only place that knows both.

const iso = (ms: number) => new Date(ms).toISOString();

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
    fileUrl: `/api/v1/images/${row.id}/file`,
    thumbnailUrl: `/api/v1/images/${row.id}/thumbnail`,
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
    createdAt: iso(row.created_at),
  };
}
