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

/** Verdicts waiting to be explained ahead of time; past this the oldest are left to be explained when asked for. */
const PRECOMPUTE_BACKLOG = 1000;

/**
 * Grad-CAM explanations of verdicts: computed by an inference worker for the model version that gave the image's
 * latest verdict, and cached on disk per image, version and class. Non-Good verdicts are explained ahead of time,
 * one at a time, as background work of the pool: only on a worker that has no classification to do, so the viewer
 * opens at once and inference keeps its pace.
 */
export class GradCamService {
  private backlog: Verdict[] = [];
  private running: Promise<void> | undefined;
  private dropped = 0;
  private closed = false;

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

  private async explainVerdict(
    verdict: Verdict,
    className?: string,
    { background = false } = {},
  ): Promise<ExplainedImage> {
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
      map = await pool.gradcam(spec, store.resolve(image.path), classIndex, { background });
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

  /** Queues the explanation of these verdicts; failures are logged, never thrown at the pipeline. */
  precompute(verdicts: readonly Verdict[]): void {
    if (this.closed) return;
    this.backlog.push(...verdicts);
    const excess = this.backlog.length - PRECOMPUTE_BACKLOG;
    if (excess > 0) {
      this.backlog.splice(0, excess);
      if (this.dropped === 0) {
        this.options.logger.warn(
          'Grad-CAM ahead of time is behind: the oldest verdicts are left to be explained when asked for',
        );
      }
      this.dropped += excess;
    }
    this.running ??= this.explainBacklog().finally(() => {
      this.running = undefined;
    });
  }

  private async explainBacklog(): Promise<void> {
    for (let verdict = this.backlog.shift(); verdict && !this.closed; verdict = this.backlog.shift()) {
      try {
        await this.explainVerdict(verdict, undefined, { background: true });
      } catch (error) {
        this.options.logger.warn({ err: error, imageId: verdict.imageId }, 'Grad-CAM failed');
      }
    }
    if (this.dropped > 0) {
      this.options.logger.info({ dropped: this.dropped }, 'Grad-CAM ahead of time has caught up');
      this.dropped = 0;
    }
  }

  /** Waits for the explanation being made; those still queued are left to be made when asked for. */
  async close(): Promise<void> {
    this.closed = true;
    this.backlog = [];
    await this.running;
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
