import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { createFileOnce } from '../images/create-file-once.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { GradCamResult } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import { renderGradCamOverlay } from '../ml/gradcam.ts';
import type { Verdict } from '../pipeline/verdict.ts';
import type { ModelLibrary } from './model-library.ts';

export interface GradCamOptions {
  catalog: Catalog;
  store: ImageStore;
  pool: InferencePool;
  models: ModelLibrary;
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

  constructor(private readonly options: GradCamOptions) {}

  /** Explains the image's latest verdict, for its verdict class or the one asked for. */
  async explain(imageId: number, className?: string): Promise<ExplainedImage> {
    const { catalog } = this.options;
    const verdict = await catalog.predictions.latestForImage(imageId);
    if (!verdict) {
      const image = await catalog.images.get(imageId);
      throw new ConflictError(
        `image ${imageId} has no verdict yet (it is ${image.status}): there is nothing to explain`,
      );
    }
    return this.explainVerdict(verdict, className);
  }

  private async explainVerdict(verdict: Verdict, className?: string): Promise<ExplainedImage> {
    const { catalog, pool, models, store } = this.options;
    const { imageId, modelVersionId } = verdict;
    const spec = await models.runnable(modelVersionId);
    const target = className ?? verdict.verdict;
    const classIndex = spec.classes.indexOf(target);
    if (classIndex < 0) {
      throw new InvalidInputError(
        `class "${target}" is not one of the model's classes: ${spec.classes.join(', ')}`,
      );
    }
    const cacheFile = this.cacheFile(imageId, modelVersionId, target, 'json');
    const cached = await fs.readFile(cacheFile, 'utf8').catch(() => undefined);
    let map: GradCamResult;
    if (cached) {
      map = JSON.parse(cached) as GradCamResult;
    } else {
      const image = await catalog.images.get(imageId);
      map = await pool.gradcam(spec, store.resolve(image.path), classIndex);
      await createFileOnce(cacheFile, (temporary) => fs.writeFile(temporary, JSON.stringify(map)));
    }
    return { imageId, modelVersionId, className: target, map };
  }

  /** The map drawn over the image in jet colours, as a PNG file (cached). */
  async overlay(explained: ExplainedImage): Promise<string> {
    const file = this.cacheFile(explained.imageId, explained.modelVersionId, explained.className, 'png');
    await createFileOnce(file, async (temporary) => {
      const image = await this.options.catalog.images.get(explained.imageId);
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

  /** Queues the explanation of these verdicts, one at a time; failures are logged, never thrown at the pipeline. */
  precompute(verdicts: readonly Verdict[]): void {
    for (const verdict of verdicts) {
      this.backlog = this.backlog
        .then(() => this.explainVerdict(verdict))
        .then(
          () => undefined,
          (error: Error) =>
            this.options.logger.warn({ err: error, imageId: verdict.imageId }, 'Grad-CAM failed'),
        );
    }
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
