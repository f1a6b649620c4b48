import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { AnomalyCalibration } from '../catalog/repositories/anomaly-repository.ts';
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { createFileOnce } from '../images/create-file-once.ts';
import type { ImageStore } from '../images/image-store.ts';
import { startEncoderTraining } from '../inference/encoder-thread.ts';
import type { EncoderThread } from '../inference/encoder-thread.ts';
import type { AutoencoderTrainingResult } from '../ml/anomaly/run-autoencoder-training.ts';
import type { AnomalyMapResult, BackendPreference, ModelSpec } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import { renderGradCamOverlay } from '../ml/gradcam.ts';
import { checkInputShape } from './version-checks.ts';

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
export interface AutoencoderJob {
  plotTypeId: number;
  status: 'training' | 'completed' | 'failed' | 'cancelled';
  epoch: number;
  epochs: number;
  /** Mean trimmed loss of the last epoch. */
  loss: number | null;
  trainImages: number;
  calibrationImages: number;
  error: string | null;
  modelVersionId: number | null;
  /** Once completed: the `baseWeights` name of its copy in weights/, from which a small CNN can start. */
  baseWeights: string | null;
  createdBy: string;
  startedAt: number;
  finishedAt: number | null;
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
export class AnomalyService {
  private readonly jobs = new Map<number, AutoencoderJob>();
  private readonly threads = new Map<number, EncoderThread<AutoencoderTrainingResult>>();
  private readonly finishing = new Set<Promise<void>>();

  constructor(private readonly options: AnomalyServiceOptions) {}

  /** Starts training; a plot type trains one autoencoder at a time (409 while one runs). */
  async train(
    plotTypeId: number,
    options: AutoencoderTrainOptions,
    createdBy: string,
  ): Promise<AutoencoderJob> {
    const { catalog, modelsDir, backend } = this.options;
    const plotType = await catalog.plotTypes.get(plotTypeId);
    if (this.jobs.get(plotTypeId)?.status === 'training') {
      throw new ConflictError(
        `plot type ${plotType.name} is training an autoencoder already: wait for it to end`,
      );
    }
    checkInputShape('autoencoder', options.inputShape);
    if (options.inputShape[0] % 8 !== 0 || options.inputShape[1] % 8 !== 0) {
      throw new InvalidInputError('the autoencoder takes images whose height and width are multiples of 8');
    }
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
    this.jobs.set(plotTypeId, job);
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
    this.threads.set(plotTypeId, thread);
    const finished = this.finish(job, thread, {
      ...options,
      outputDir,
      name: `${plotType.name}-autoencoder`,
    });
    this.finishing.add(finished);
    void finished.finally(() => this.finishing.delete(finished));
    return { ...job };
  }

  private async finish(
    job: AutoencoderJob,
    thread: EncoderThread<AutoencoderTrainingResult>,
    { outputDir, name, inputShape, activate }: AutoencoderTrainOptions & { outputDir: string; name: string },
  ): Promise<void> {
    const { catalog, logger, dataDir } = this.options;
    try {
      const result = await thread.result;
      if (result.status === 'cancelled') {
        Object.assign(job, { status: 'cancelled', finishedAt: Date.now() });
        return;
      }
      const version = await catalog.models.createVersion({
        plotTypeId: job.plotTypeId,
        name,
        architecture: 'conv-autoencoder',
        kind: 'autoencoder',
        inputShape,
        classes: [],
        thresholds: {},
        artifactPath: path.relative(dataDir, outputDir),
      });
      const { threshold, targetRate, images } = result.calibration;
      await catalog.anomaly.setCalibration(version.id, { threshold, targetRate, images });
      if (activate) await this.activate(job.plotTypeId, version.id);
      const baseWeights = `autoencoder-${version.id}`;
      await fs.cp(outputDir, path.join(this.options.weightsDir, baseWeights), { recursive: true });
      Object.assign(job, {
        status: 'completed',
        modelVersionId: version.id,
        baseWeights,
        finishedAt: Date.now(),
      });
      logger.info(
        {
          plotTypeId: job.plotTypeId,
          modelVersionId: version.id,
          threshold,
          targetRate,
          timings: result.timings,
        },
        'autoencoder trained and calibrated',
      );
    } catch (error) {
      Object.assign(job, { status: 'failed', error: (error as Error).message, finishedAt: Date.now() });
      logger.error({ err: error, plotTypeId: job.plotTypeId }, 'autoencoder training failed');
    } finally {
      this.threads.delete(job.plotTypeId);
    }
  }

  /** Makes the version the plot type's autoencoder; the one it replaces is freed in the workers. */
  async activate(plotTypeId: number, versionId: number): Promise<void> {
    const { catalog, pool } = this.options;
    const version = await catalog.models.getVersion(versionId);
    if (version.kind !== 'autoencoder' || version.plot_type_id !== plotTypeId) {
      throw new InvalidInputError(`version ${versionId} is no autoencoder of plot type ${plotTypeId}`);
    }
    const replaced = await catalog.anomaly.activeVersionId(plotTypeId);
    await catalog.anomaly.activate(plotTypeId, versionId);
    if (replaced !== null && replaced !== versionId) pool.unload(replaced);
  }

  /** The plot type's latest training (since this server started), if any. */
  job(plotTypeId: number): AutoencoderJob | undefined {
    const job = this.jobs.get(plotTypeId);
    return job && { ...job };
  }

  /** The plot type's autoencoder and its calibration; null when it has none. */
  async active(
    plotTypeId: number,
  ): Promise<{ modelVersionId: number; calibration: AnomalyCalibration } | null> {
    const { catalog } = this.options;
    const versionId = await catalog.anomaly.activeVersionId(plotTypeId);
    if (versionId === null) return null;
    const calibration = await catalog.anomaly.calibration(versionId);
    return calibration && { modelVersionId: versionId, calibration };
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
      latest?.anomaly?.anomalyVersionId ?? (await catalog.anomaly.activeVersionId(image.plot_type_id));
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

  /** Cancels running trainings and waits for them to end. */
  async close(): Promise<void> {
    for (const thread of this.threads.values()) thread.cancel();
    await Promise.allSettled([...this.finishing]);
  }
}
