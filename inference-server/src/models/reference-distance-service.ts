import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import { InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import { startEncoderTraining } from '../inference/encoder-thread.ts';
import type { BackendPreference, ReferenceRequest } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import { EncoderTrainings, type EncoderJob } from './encoder-trainings.ts';

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
export interface SiameseJob extends EncoderJob {
  /** The classes of the labeled plots it learns from, in label order. */
  classes: string[];
}

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
export class ReferenceDistanceService extends EncoderTrainings<SiameseJob> {
  constructor(private readonly options: ReferenceDistanceServiceOptions) {
    const { catalog, pool, logger, dataDir } = options;
    super({ catalog, pool, logger, dataDir, kind: 'siamese', title: 'a Siamese encoder' });
  }

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
    this.checkIdle(plotTypeId, plotType.name);
    this.checkEncoderInput(options.inputShape);
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
    return this.follow(job, thread, {
      name: `${plotType.name}-siamese`,
      architecture: 'siamese-encoder',
      inputShape: options.inputShape,
      classes,
      outputDir,
      activate: options.activate,
    });
  }
}
