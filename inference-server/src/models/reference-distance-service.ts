import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { AnomalyCalibration } from '../catalog/repositories/anomaly-repository.ts';
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import { startEncoderTraining } from '../inference/encoder-thread.ts';
import type { EncoderThread } from '../inference/encoder-thread.ts';
import type { BackendPreference, ReferenceRequest } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import type { SiameseTrainingResult } from '../ml/reference/run-siamese-training.ts';
import type { AutoencoderJob } from './anomaly-service.ts';
import { checkInputShape } from './version-checks.ts';

export interface ReferenceDistanceServiceOptions {
  catalog: Catalog;
  store: ImageStore;
  pool: InferencePool;
  logger: FastifyBaseLogger;
  dataDir: string;
  modelsDir: string;
  /** The training threads' backend: the inference pool's. */
  backend: BackendPreference;
}

export interface SiameseTrainOptions {
  /** The newest images of the plot type to calibrate on (labeled or not). */
  calibrationImages: number;
  epochs: number;
  /** Pairs per step. */
  batchSize: number;
  learningRate?: number;
  margin?: number;
  targetFalseAlarmRate: number;
  inputShape: InputShape;
  seed: number;
  /** Make the trained version the plot type's Siamese encoder. */
  activate: boolean;
}

/** A Siamese encoder's training for one plot type, as the API reports it (kept while the server runs). */
export type SiameseJob = Omit<AutoencoderJob, 'baseWeights'> & {
  /** The classes of the labeled plots it learns from, in label order. */
  classes: string[];
};

/** What a batch needs to measure its distances from its plot type's reference, and to judge them. */
export interface MeasuredReference {
  imageId: number;
  request: ReferenceRequest;
  /** The Siamese encoder and its calibrated threshold; null: the pixel distance, which has no threshold. */
  siamese: { versionId: number; threshold: number } | null;
}

/** Labeled plots a Siamese encoder needs at least, and recent ones to calibrate on (distances from their medoid). */
export const MIN_LABELED_IMAGES = 20;
export const MIN_CALIBRATION_IMAGES = 51;

/**
 * The distance of each plot from its plot type's current reference (set in the panel or the labeler): trains a
 * Siamese encoder on pairs of the plot type's labeled plots (same or other class), calibrates its threshold on recent
 * plots for a target false-alarm rate, registers it as a version of kind `siamese` and makes it the plot type's
 * encoder; and tells the batcher which reference and which encoder (none: pixels) measure a batch.
 */
export class ReferenceDistanceService {
  private readonly jobs = new Map<number, SiameseJob>();
  private readonly threads = new Map<number, EncoderThread<SiameseTrainingResult>>();
  private readonly finishing = new Set<Promise<void>>();

  constructor(private readonly options: ReferenceDistanceServiceOptions) {}

  /** The plot type's reference and how to measure from it; undefined while it has no reference. */
  async measureFor(
    plotTypeId: number,
    siameseVersionId: number | null,
  ): Promise<MeasuredReference | undefined> {
    const { catalog, store, dataDir } = this.options;
    const reference = await catalog.references.current(plotTypeId);
    if (!reference) return undefined;
    const imagePath = store.resolve(reference.path);
    if (siameseVersionId === null)
      return { imageId: reference.imageId, request: { imagePath }, siamese: null };
    const [version, calibration] = await Promise.all([
      catalog.models.getVersion(siameseVersionId),
      catalog.anomaly.calibration(siameseVersionId),
    ]);
    if (version.kind !== 'siamese' || calibration === null) {
      throw new Error(`model version ${siameseVersionId} is no calibrated Siamese encoder`);
    }
    return {
      imageId: reference.imageId,
      request: {
        imagePath,
        siamese: {
          modelVersionId: siameseVersionId,
          kind: 'siamese',
          artifactDir: path.resolve(dataDir, version.artifact_path),
          inputShape: version.input_shape,
          classes: version.classes,
        },
      },
      siamese: { versionId: siameseVersionId, threshold: calibration.threshold },
    };
  }

  /** Starts training; a plot type trains one Siamese encoder at a time (409 while one runs). */
  async train(plotTypeId: number, options: SiameseTrainOptions, createdBy: string): Promise<SiameseJob> {
    const { catalog, store, modelsDir, backend } = this.options;
    const plotType = await catalog.plotTypes.get(plotTypeId);
    if (this.jobs.get(plotTypeId)?.status === 'training') {
      throw new ConflictError(
        `plot type ${plotType.name} is training a Siamese encoder already: wait for it to end`,
      );
    }
    checkInputShape('siamese', options.inputShape);
    if (options.inputShape[0] % 8 !== 0 || options.inputShape[1] % 8 !== 0) {
      throw new InvalidInputError(
        'the Siamese encoder takes images whose height and width are multiples of 8',
      );
    }
    const labeled = await catalog.labels.currentLabels(plotTypeId);
    const classes = [...new Set(labeled.map((label) => label.class_name))].sort();
    const counts = classes.map((name) => labeled.filter((label) => label.class_name === name).length);
    if (labeled.length < MIN_LABELED_IMAGES || classes.length < 2 || Math.max(...counts) < 2) {
      throw new InvalidInputError(
        `plot type ${plotType.name} has ${labeled.length} labeled images in ${classes.length} classes; a Siamese ` +
          `encoder learns from pairs of the same and of other classes: label at least ${MIN_LABELED_IMAGES}, of two ` +
          'classes or more (without one, the distance from the reference is measured on pixels)',
      );
    }
    const recent = await catalog.anomaly.recentImages(plotTypeId, options.calibrationImages);
    if (recent.length < MIN_CALIBRATION_IMAGES) {
      throw new InvalidInputError(
        `plot type ${plotType.name} has ${recent.length} images; its threshold is calibrated on ` +
          `${MIN_CALIBRATION_IMAGES} at least: upload more, or ask for more with \`calibrationImages\``,
      );
    }
    const job: SiameseJob = {
      plotTypeId,
      status: 'training',
      epoch: 0,
      epochs: options.epochs,
      loss: null,
      trainImages: labeled.length,
      calibrationImages: recent.length,
      classes,
      error: null,
      modelVersionId: null,
      createdBy,
      startedAt: Date.now(),
      finishedAt: null,
    };
    this.jobs.set(plotTypeId, job);
    const outputDir = path.join(modelsDir, `${plotTypeId}-siamese-${randomUUID()}`);
    const thread = startEncoderTraining(
      'siamese',
      {
        inputShape: options.inputShape,
        train: labeled.map((label) => ({
          path: store.resolve(label.path),
          label: classes.indexOf(label.class_name),
        })),
        calibration: recent.map((image) => store.resolve(image.path)),
        parameters: {
          epochs: options.epochs,
          batchSize: options.batchSize,
          ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
          ...(options.margin !== undefined && { margin: options.margin }),
        },
        targetRate: options.targetFalseAlarmRate,
        seed: options.seed,
        outputDir,
      },
      { backend, onEpoch: (epoch, loss) => Object.assign(job, { epoch, loss }) },
    );
    this.threads.set(plotTypeId, thread);
    const finished = this.finish(job, thread, { ...options, outputDir, name: `${plotType.name}-siamese` });
    this.finishing.add(finished);
    void finished.finally(() => this.finishing.delete(finished));
    return { ...job };
  }

  private async finish(
    job: SiameseJob,
    thread: EncoderThread<SiameseTrainingResult>,
    { outputDir, name, inputShape, activate }: SiameseTrainOptions & { outputDir: string; name: string },
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
        architecture: 'siamese-encoder',
        kind: 'siamese',
        inputShape,
        classes: job.classes,
        thresholds: {},
        artifactPath: path.relative(dataDir, outputDir),
      });
      const { threshold, targetRate, images } = result.calibration;
      await catalog.anomaly.setCalibration(version.id, { threshold, targetRate, images });
      if (activate) await this.activate(job.plotTypeId, version.id);
      Object.assign(job, { status: 'completed', modelVersionId: version.id, finishedAt: Date.now() });
      logger.info(
        {
          plotTypeId: job.plotTypeId,
          modelVersionId: version.id,
          threshold,
          targetRate,
          timings: result.timings,
        },
        'Siamese encoder trained and calibrated',
      );
    } catch (error) {
      Object.assign(job, { status: 'failed', error: (error as Error).message, finishedAt: Date.now() });
      logger.error({ err: error, plotTypeId: job.plotTypeId }, 'Siamese encoder training failed');
    } finally {
      this.threads.delete(job.plotTypeId);
    }
  }

  /** Makes the version the plot type's Siamese encoder; the one it replaces is freed in the workers. */
  async activate(plotTypeId: number, versionId: number): Promise<void> {
    const { catalog, pool } = this.options;
    const version = await catalog.models.getVersion(versionId);
    if (version.kind !== 'siamese' || version.plot_type_id !== plotTypeId) {
      throw new InvalidInputError(`version ${versionId} is no Siamese encoder of plot type ${plotTypeId}`);
    }
    const replaced = await catalog.anomaly.activeSiameseVersionId(plotTypeId);
    await catalog.anomaly.activateSiamese(plotTypeId, versionId);
    if (replaced !== null && replaced !== versionId) pool.unload(replaced);
  }

  /** The plot type's latest training (since this server started), if any. */
  job(plotTypeId: number): SiameseJob | undefined {
    const job = this.jobs.get(plotTypeId);
    return job && { ...job, classes: [...job.classes] };
  }

  /** The plot type's Siamese encoder and its calibration; null when it has none. */
  async active(
    plotTypeId: number,
  ): Promise<{ modelVersionId: number; calibration: AnomalyCalibration } | null> {
    const { catalog } = this.options;
    const versionId = await catalog.anomaly.activeSiameseVersionId(plotTypeId);
    if (versionId === null) return null;
    const calibration = await catalog.anomaly.calibration(versionId);
    return calibration && { modelVersionId: versionId, calibration };
  }

  /** Cancels running trainings and waits for them to end. */
  async close(): Promise<void> {
    for (const thread of this.threads.values()) thread.cancel();
    await Promise.allSettled([...this.finishing]);
  }
}
