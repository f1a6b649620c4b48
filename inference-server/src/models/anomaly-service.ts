import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { createFileOnce } from '../images/create-file-once.ts';
import type { ImageStore } from '../images/image-store.ts';
import { startEncoderTraining } from '../inference/encoder-thread.ts';
import type { AnomalyMapResult, BackendPreference, ModelSpec } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import { renderGradCamOverlay } from '../ml/gradcam.ts';
import { EncoderTrainings, type EncoderJob } from './encoder-trainings.ts';

export interface AnomalyServiceOptions {
  catalog: Catalog;
  store: ImageStore;
  pool: InferencePool;
  logger: FastifyBaseLogger;
  dataDir: string;
  modelsDir: string;
  /** The data folder's weights/: each trained autoencoder is copied there as base weights for a classifier. */
  weightsDir: string;
  /** Where error-map overlays are cached. */
  cacheDir: string;
  /** The training threads' backend: the inference pool's. */
  backend: BackendPreference;
}

export interface AutoencoderTrainOptions {
  /** The newest images of the plot type to use: two thirds to learn from, one third to calibrate on. */
  images: number;
  epochs: number;
  batchSize: number;
  learningRate?: number;
  trimFraction?: number;
  targetFalseAlarmRate: number;
  inputShape: InputShape;
  seed: number;
  /** Make the trained version the plot type's autoencoder. */
  activate: boolean;
}

/** An autoencoder's training for one plot type, as the API reports it (kept while the server runs). */
export interface AutoencoderJob extends EncoderJob {
  /** Once completed: the `baseWeights` name of its copy in weights/, from which a small CNN can start. */
  baseWeights: string | null;
}

/** What a worker needs to run an autoencoder version, and the threshold its scores are judged by. */
export interface RunnableAutoencoder {
  spec: ModelSpec;
  threshold: number;
}

export interface ExplainedAnomaly {
  imageId: number;
  modelVersionId: number;
  threshold: number;
  anomalous: boolean;
  map: AnomalyMapResult;
}

/** Recent images an autoencoder needs at least: 100 to learn from and 50 to calibrate on. */
export const MIN_RECENT_IMAGES = 150;
/** Opacity of the worst pixels in the PNG overlay. */
const OVERLAY_OPACITY = 0.6;

/**
 * Unsupervised anomaly scores of a plot type: trains an autoencoder on its recent images (no labels), calibrates its
 * threshold on other recent images for a target false-alarm rate, registers it as a version of kind `autoencoder` and
 * makes it the plot type's autoencoder, whose score every later verdict carries; and draws its error maps.
 */
export class AnomalyService extends EncoderTrainings<AutoencoderJob> {
  constructor(private readonly options: AnomalyServiceOptions) {
    const { catalog, pool, logger, dataDir } = options;
    super({ catalog, pool, logger, dataDir, kind: 'autoencoder', title: 'an autoencoder' });
  }

  /** Starts training; a plot type trains one autoencoder at a time (409 while one runs). */
  async train(
    plotTypeId: number,
    options: AutoencoderTrainOptions,
    createdBy: string,
  ): Promise<AutoencoderJob> {
    const { catalog, modelsDir, backend } = this.options;
    const plotType = await catalog.plotTypes.get(plotTypeId);
    this.checkIdle(plotTypeId, plotType.name);
    this.checkEncoderInput(options.inputShape);
    const recent = await catalog.anomaly.recentImages(plotTypeId, options.images);
    if (recent.length < MIN_RECENT_IMAGES) {
      throw new InvalidInputError(
        `plot type ${plotType.name} has ${recent.length} images; an autoencoder needs at least ` +
          `${MIN_RECENT_IMAGES} (100 to learn from, 50 to calibrate on): upload more, or ask for more with \`images\``,
      );
    }
    const files = recent.map((image) => this.options.store.resolve(image.path));
    // Every third image calibrates: images of the same runs and times, never learnt.
    const calibration = files.filter((_, index) => index % 3 === 2);
    const train = files.filter((_, index) => index % 3 !== 2);
    const job: AutoencoderJob = {
      plotTypeId,
      status: 'training',
      epoch: 0,
      epochs: options.epochs,
      loss: null,
      trainImages: train.length,
      calibrationImages: calibration.length,
      error: null,
      modelVersionId: null,
      baseWeights: null,
      createdBy,
      startedAt: Date.now(),
      finishedAt: null,
    };
    const outputDir = path.join(modelsDir, `${plotTypeId}-autoencoder-${randomUUID()}`);
    const thread = startEncoderTraining(
      'autoencoder',
      {
        inputShape: options.inputShape,
        train,
        calibration,
        parameters: {
          epochs: options.epochs,
          batchSize: options.batchSize,
          ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
          ...(options.trimFraction !== undefined && { trimFraction: options.trimFraction }),
        },
        targetRate: options.targetFalseAlarmRate,
        seed: options.seed,
        outputDir,
      },
      {
        backend,
        onEpoch: (epoch, loss) => Object.assign(job, { epoch, loss }),
      },
    );
    return this.follow(job, thread, {
      name: `${plotType.name}-autoencoder`,
      architecture: 'conv-autoencoder',
      inputShape: options.inputShape,
      classes: [],
      outputDir,
      activate: options.activate,
      registered: async (versionId) => {
        const baseWeights = `autoencoder-${versionId}`;
        await fs.cp(outputDir, path.join(this.options.weightsDir, baseWeights), { recursive: true });
        return { baseWeights };
      },
    });
  }

  async runnable(versionId: number): Promise<RunnableAutoencoder> {
    const { catalog, dataDir } = this.options;
    const [version, calibration] = await Promise.all([
      catalog.models.getVersion(versionId),
      catalog.anomaly.calibration(versionId),
    ]);
    if (version.kind !== 'autoencoder' || calibration === null) {
      throw new Error(`model version ${versionId} is no calibrated autoencoder`);
    }
    return {
      spec: {
        modelVersionId: versionId,
        kind: 'autoencoder',
        artifactDir: path.resolve(dataDir, version.artifact_path),
        inputShape: version.input_shape,
        classes: version.classes,
      },
      threshold: calibration.threshold,
    };
  }

  /** The image's error map by the autoencoder that scored its latest verdict, or else its plot type's. */
  async explain(imageId: number): Promise<ExplainedAnomaly> {
    const { catalog, pool, store } = this.options;
    const image = await catalog.images.get(imageId);
    const latest = await catalog.predictions.latestForImage(imageId);
    const versionId =
      latest?.anomaly?.anomalyVersionId ??
      (await catalog.anomaly.activeEncoderVersionId('autoencoder', image.plot_type_id));
    if (versionId === null) {
      throw new ConflictError(
        `plot type ${image.plot_type} has no autoencoder: train one with POST /api/v1/plot-types/` +
          `${image.plot_type_id}/autoencoder`,
      );
    }
    const { spec, threshold } = await this.runnable(versionId);
    const map = await pool.anomalyMap(spec, store.resolve(image.path));
    return { imageId, modelVersionId: versionId, threshold, anomalous: map.score > threshold, map };
  }

  /** The error map over the image in jet colours (scaled to its worst pixel), as a PNG file (cached). */
  async overlay(explained: ExplainedAnomaly): Promise<string> {
    const { imageId, modelVersionId, map } = explained;
    const file = path.join(this.options.cacheDir, String(imageId % 256), `${imageId}-a${modelVersionId}.png`);
    await createFileOnce(file, async (temporary) => {
      const image = await this.options.catalog.images.get(imageId);
      const worst = Math.max(...map.values, Number.MIN_VALUE);
      const png = await renderGradCamOverlay(
        this.options.store.resolve(image.path),
        {
          width: map.width,
          height: map.height,
          values: Float32Array.from(map.values, (value) => value / worst),
        },
        { opacity: OVERLAY_OPACITY },
      );
      await fs.writeFile(temporary, png);
    });
    return file;
  }
}
