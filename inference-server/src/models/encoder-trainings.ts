import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { AnomalyCalibration } from '../catalog/repositories/anomaly-repository.ts';
import type { InputShape } from '../catalog/repositories/models-repository.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import type { EncoderKind, EncoderThread } from '../inference/encoder-thread.ts';
import type { InferencePool } from '../inference/pool.ts';
import type { Calibration } from '../ml/anomaly/calibration.ts';
import { checkInputShape } from './version-checks.ts';

/** An encoder's training for one plot type, as the API reports it (kept while the server runs). */
export interface EncoderJob {
  plotTypeId: number;
  status: 'training' | 'completed' | 'failed' | 'cancelled';
  epoch: number;
  epochs: number;
  /** Mean loss of the last epoch. */
  loss: number | null;
  trainImages: number;
  calibrationImages: number;
  error: string | null;
  modelVersionId: number | null;
  createdBy: string;
  startedAt: number;
  finishedAt: number | null;
}

type EncoderResult =
  { status: 'cancelled' } | { status: 'completed'; calibration: Calibration; timings: object };

/** How a finished training becomes a version of its plot type. */
export interface EncoderVersion {
  name: string;
  architecture: string;
  inputShape: InputShape;
  classes: string[];
  /** Where the thread saved the model. */
  outputDir: string;
  /** Make it the plot type's encoder of its kind. */
  activate: boolean;
  /** After it is registered (and activated): more of the job's fields, e.g. a copy of the model elsewhere. */
  registered?: (versionId: number) => Promise<Record<string, unknown>>;
}

export interface EncoderTrainingsOptions {
  catalog: Catalog;
  pool: InferencePool;
  logger: FastifyBaseLogger;
  dataDir: string;
  kind: EncoderKind;
  /** The kind in a sentence: "an autoencoder", "a Siamese encoder". */
  title: string;
}

/**
 * The trainings of one kind of encoder (autoencoder or Siamese), one at a time per plot type, each in its own thread:
 * a completed one is registered as a version with its calibrated threshold and, if asked, made the plot type's
 * encoder of that kind, whose readings the next verdicts carry beside them. Each kind's service extends it.
 */
export class EncoderTrainings<Job extends EncoderJob> {
  private readonly jobs = new Map<number, Job>();
  private readonly threads = new Map<number, EncoderThread<EncoderResult>>();
  private readonly finishing = new Set<Promise<void>>();

  constructor(private readonly encoder: EncoderTrainingsOptions) {}

  /** 409 while the plot type trains one already. */
  protected checkIdle(plotTypeId: number, plotTypeName: string): void {
    if (this.jobs.get(plotTypeId)?.status === 'training') {
      throw new ConflictError(
        `plot type ${plotTypeName} is training ${this.encoder.title} already: wait for it to end`,
      );
    }
  }

  /** 400 unless the encoder can take images of this shape: the model checks, and sides that are multiples of 8. */
  protected checkEncoderInput(inputShape: InputShape): void {
    checkInputShape(this.encoder.kind, inputShape);
    if (inputShape[0] % 8 !== 0 || inputShape[1] % 8 !== 0) {
      const encoder = this.encoder.title.replace(/^an? /, 'the ');
      throw new InvalidInputError(`${encoder} takes images whose height and width are multiples of 8`);
    }
  }

  /** Follows the thread's training of `job` until it is registered, cancelled or failed; returns the job as started. */
  protected follow(job: Job, thread: EncoderThread<EncoderResult>, version: EncoderVersion): Job {
    this.jobs.set(job.plotTypeId, job);
    this.threads.set(job.plotTypeId, thread);
    const finished = this.finish(job, thread, version);
    this.finishing.add(finished);
    void finished.finally(() => this.finishing.delete(finished));
    return structuredClone(job);
  }

  private async finish(
    job: Job,
    thread: EncoderThread<EncoderResult>,
    version: EncoderVersion,
  ): Promise<void> {
    const { catalog, logger, dataDir, kind, title } = this.encoder;
    try {
      const result = await thread.result;
      if (result.status === 'cancelled') {
        Object.assign(job, { status: 'cancelled', finishedAt: Date.now() });
        return;
      }
      const { id } = await catalog.models.createVersion({
        plotTypeId: job.plotTypeId,
        name: version.name,
        architecture: version.architecture,
        kind,
        inputShape: version.inputShape,
        classes: version.classes,
        thresholds: {},
        artifactPath: path.relative(dataDir, version.outputDir),
      });
      const { threshold, targetRate, images } = result.calibration;
      await catalog.anomaly.setCalibration(id, { threshold, targetRate, images });
      if (version.activate) await this.activate(job.plotTypeId, id);
      const more = (await version.registered?.(id)) ?? {};
      Object.assign(job, { status: 'completed', modelVersionId: id, finishedAt: Date.now(), ...more });
      logger.info(
        { plotTypeId: job.plotTypeId, modelVersionId: id, threshold, targetRate, timings: result.timings },
        `${kind} trained and calibrated`,
      );
    } catch (error) {
      Object.assign(job, { status: 'failed', error: (error as Error).message, finishedAt: Date.now() });
      logger.error({ err: error, plotTypeId: job.plotTypeId }, `${title} failed to train`);
    } finally {
      this.threads.delete(job.plotTypeId);
    }
  }

  /** Makes the version the plot type's encoder of this kind; the one it replaces is freed in the workers. */
  async activate(plotTypeId: number, versionId: number): Promise<void> {
    const { catalog, pool, kind, title } = this.encoder;
    const version = await catalog.models.getVersion(versionId);
    if (version.kind !== kind || version.plot_type_id !== plotTypeId) {
      throw new InvalidInputError(`version ${versionId} is not ${title} of plot type ${plotTypeId}`);
    }
    const replaced = await catalog.anomaly.activeEncoderVersionId(kind, plotTypeId);
    await catalog.anomaly.activateEncoder(kind, plotTypeId, versionId);
    if (replaced !== null && replaced !== versionId) pool.unload(replaced);
  }

  /** The plot type's latest training (since this server started), if any. */
  job(plotTypeId: number): Job | undefined {
    const job = this.jobs.get(plotTypeId);
    return job && structuredClone(job);
  }

  /** The plot type's encoder of this kind and its calibration; null when it has none. */
  async active(
    plotTypeId: number,
  ): Promise<{ modelVersionId: number; calibration: AnomalyCalibration } | null> {
    const { catalog, kind } = this.encoder;
    const versionId = await catalog.anomaly.activeEncoderVersionId(kind, plotTypeId);
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
