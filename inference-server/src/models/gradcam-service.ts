import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog, PredictionWithImage } from '../catalog/catalog.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { createFileOnce } from '../images/create-file-once.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { GradCamResult } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import { renderGradCamOverlay } from '../ml/gradcam.ts';
import type { ModelRegistry } from './model-registry.ts';

export interface GradCamOptions {
  catalog: Catalog;
  store: ImageStore;
  pool: InferencePool;
  models: ModelRegistry;
  logger: FastifyBaseLogger;
  cacheDir: string;
}

export interface ExplainedImage {
  imageId: number;
  modelVersionId: number;
  className: string;
  map: GradCamResult;
}

/** Opacity of the hottest cells in the PNG overlay; clients that want another draw the JSON map themselves. */
const OVERLAY_OPACITY = 0.6;

/**
 * Grad-CAM explanations of verdicts: computed by an inference worker for the model version that gave the image's
 * latest verdict, and cached on disk per image, version and class. Non-Good verdicts are explained ahead of time,
 * one at a time, so the viewer opens at once and inference keeps its pace.
 */
export class GradCamService {
  private backlog: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: GradCamOptions) {}

  async explain(imageId: number, className?: string): Promise<ExplainedImage> {
    const { catalog, pool, models, store } = this.options;
    const prediction = await catalog.latestPredictionForImage(imageId);
    if (!prediction) {
      const image = await catalog.getImage(imageId);
      throw new ConflictError(
        `image ${imageId} has no verdict yet (it is ${image.status}): there is nothing to explain`,
      );
    }
    const spec = await models.spec(prediction.model_version_id);
    const target = className ?? prediction.verdict;
    const classIndex = spec.classes.indexOf(target);
    if (classIndex < 0) {
      throw new InvalidInputError(
        `class "${target}" is not one of the model's classes: ${spec.classes.join(', ')}`,
      );
    }
    const cacheFile = this.cacheFile(imageId, prediction.model_version_id, target, 'json');
    const cached = await fs.readFile(cacheFile, 'utf8').catch(() => undefined);
    let map: GradCamResult;
    if (cached) {
      map = JSON.parse(cached) as GradCamResult;
    } else {
      const image = await catalog.getImage(imageId);
      map = await pool.gradcam(spec, store.resolve(image.path), classIndex);
      await createFileOnce(cacheFile, (temporary) => fs.writeFile(temporary, JSON.stringify(map)));
    }
    return { imageId, modelVersionId: prediction.model_version_id, className: target, map };
  }

  /** The map drawn over the image in jet colours, as a PNG file (cached). */
  async overlay(explained: ExplainedImage): Promise<string> {
    const file = this.cacheFile(explained.imageId, explained.modelVersionId, explained.className, 'png');
    await createFileOnce(file, async (temporary) => {
      const image = await this.options.catalog.getImage(explained.imageId);
      const { map } = explained;
      const png = await renderGradCamOverlay(
        this.options.store.resolve(image.path),
        { width: map.width, height: map.height, values: Float32Array.from(map.values) },
        { opacity: OVERLAY_OPACITY },
      );
      await fs.writeFile(temporary, png);
    });
    return file;
  }

  /** Queues the explanation of non-Good verdicts; failures are logged, never thrown at the pipeline. */
  precompute(predictions: PredictionWithImage[]): void {
    for (const prediction of predictions.filter((p) => p.verdict !== 'Good')) {
      this.pending += 1;
      this.backlog = this.backlog
        .then(() => this.explain(prediction.image_id))
        .then(
          () => undefined,
          (error: Error) =>
            this.options.logger.warn({ err: error, imageId: prediction.image_id }, 'Grad-CAM failed'),
        )
        .finally(() => (this.pending -= 1));
    }
  }

  /** Explanations still queued: for status pages, and for tests that wait for them. */
  get queued(): number {
    return this.pending;
  }

  async close(): Promise<void> {
    await this.backlog;
  }

  private cacheFile(imageId: number, modelVersionId: number, className: string, extension: string) {
    const safeClass = encodeURIComponent(className);
    return path.join(
      this.options.cacheDir,
      String(imageId % 256),
      `${imageId}-v${modelVersionId}-${safeClass}.${extension}`,
    );
  }
}
