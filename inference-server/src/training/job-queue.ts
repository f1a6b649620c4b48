import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { TrainingJobChanges, TrainingJobRow } from '../catalog/repositories/training-jobs-repository.ts';
import { ConflictError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { ModelLibrary } from '../models/model-library.ts';
import type { LiveEvents } from '../pipeline/live-events.ts';
import type { TrainRequest, TrainingJob, TrainingProgress } from '../schemas/index.ts';
import { trainingJobView } from '../views/api-views.ts';
import type { BackendName, TrainingResult } from '../inference/messages.ts';
import { startTraining } from '../inference/training-thread.ts';
import {
  findBaseWeights,
  planTraining,
  recordedSplit,
  splitPredictions,
  trainedMetrics,
  trainingSplit,
} from './training-plan.ts';

export interface TrainingJobQueueOptions {
  catalog: Catalog;
  store: ImageStore;
  models: ModelLibrary;
  events: LiveEvents;
  logger: FastifyBaseLogger;
  modelsDir: string;
  /** Where base weights for transfer learning are looked up by name (`baseWeights` of a request). */
  weightsDir: string;
  /** Jobs that train at once, each in its own worker thread (the wasm backend uses one core per worker). */
  concurrency: number;
  /** The backend the inference workers loaded: training workers load the same one, and it sets the default model. */
  backend: BackendName;
}

const PROGRESS_WRITE_MS = 2000;

/**
 * Training jobs, `concurrency` at a time: a request becomes a job with a recorded split, runs in a training worker,
 * reports progress to the catalog and the live stream, and ends as a new model version (or a clear failure).
 */
export class TrainingJobQueue {
  private queue: number[] = [];
  /** Jobs that have left the queue and not yet finished, with what cancels their worker once it runs. */
  private running = new Map<number, { cancel?: () => void; done: Promise<void> }>();
  private cancelRequested = new Set<number>();
  /** Each running job's progress reports, handled in order (its log is appended to, line by line). */
  private progressChains = new Map<number, Promise<unknown>>();
  private lastProgressWrites = new Map<number, number>();

  constructor(private readonly options: TrainingJobQueueOptions) {}

  async start(): Promise<void> {
    const failed = await this.options.catalog.trainingJobs.failUnfinished(
      'the server stopped while this job was queued or running',
    );
    if (failed)
      this.options.logger.warn({ jobs: failed }, 'marked training jobs of a previous run as failed');
  }

  async create(plotTypeId: number, request: TrainRequest, user: string): Promise<TrainingJob> {
    const { catalog, backend, weightsDir, logger } = this.options;
    const plan = await planTraining(catalog, plotTypeId, request, { backend, weightsDir });
    const job = await catalog.trainingJobs.create({
      plotTypeId,
      parameters: plan.parameters,
      split: plan.split,
      createdBy: user,
    });
    this.publish(job);
    this.queue.push(job.id);
    const { architecture, classes } = plan.parameters;
    logger.info(
      { jobId: job.id, plotType: job.plot_type, architecture, images: plan.images, classes },
      'training job queued',
    );
    this.startQueued();
    return trainingJobView(job);
  }

  async cancel(jobId: number): Promise<TrainingJob> {
    const job = await this.options.catalog.trainingJobs.get(jobId);
    if (job.status !== 'queued' && job.status !== 'running') {
      throw new ConflictError(
        `training job ${jobId} is ${job.status}; only queued or running jobs can be cancelled`,
      );
    }
    const running = this.running.get(jobId);
    if (running === undefined) {
      this.queue = this.queue.filter((id) => id !== jobId);
      return this.finish(jobId, { status: 'cancelled' }, 'cancelled before it started');
    }
    // A job that has left the queue ends through run(), which sees the request before its worker starts or
    // passes it on to the worker: finishing it here would let run() carry on and revive it.
    this.cancelRequested.add(jobId);
    running.cancel?.();
    return trainingJobView(job);
  }

  /** Starts queued jobs, oldest first, while fewer than `concurrency` run. */
  private startQueued(): void {
    while (this.running.size < this.options.concurrency) {
      const jobId = this.queue.shift();
      if (jobId === undefined) return;
      const done = this.runJob(jobId).finally(() => {
        this.running.delete(jobId);
        this.startQueued();
      });
      this.running.set(jobId, { done });
    }
  }

  private async runJob(jobId: number): Promise<void> {
    try {
      await this.run(await this.options.catalog.trainingJobs.get(jobId));
    } catch (error) {
      this.options.logger.error({ err: error, jobId }, 'training job failed');
      await this.finish(
        jobId,
        { status: 'failed', error: (error as Error).message },
        `failed: ${(error as Error).message}`,
      );
    }
  }

  private async run(job: TrainingJobRow): Promise<void> {
    const { catalog, store, logger, modelsDir, models } = this.options;
    if (this.cancelRequested.has(job.id)) {
      await this.finish(job.id, { status: 'cancelled' }, 'cancelled before it started');
      return;
    }
    const { parameters } = job;
    const split = job.split!;
    const labeledSplit = await recordedSplit(catalog, job);
    await this.log(
      job.id,
      `started: ${split.train.length} train, ${split.validation.length} validation, ${split.test.length} test images`,
      {
        status: 'running',
        started_at: Date.now(),
      },
    );
    const handle = startTraining(
      {
        architecture: parameters.architecture,
        inputShape: parameters.inputShape,
        classes: parameters.classes,
        split: trainingSplit(labeledSplit, parameters.classes, (l) => store.resolve(l.path)),
        hyperParameters: {
          epochs: parameters.epochs,
          batchSize: parameters.batchSize,
          learningRate: parameters.learningRate,
          patience: parameters.patience,
          augment: parameters.augment,
          balanceClasses: parameters.balanceClasses,
          freezeBase: parameters.freezeBase,
          fineTuneEpochs: parameters.fineTuneEpochs,
        },
        ...(parameters.baseWeights !== undefined && {
          baseWeightsDir: await findBaseWeights(this.options.weightsDir, parameters.baseWeights),
        }),
        seed: parameters.seed,
        outputDir: path.join(modelsDir, `${job.plot_type_id}-${randomUUID()}`),
        backend: this.options.backend,
      },
      {
        onProgress: (progress) => {
          const chain = (this.progressChains.get(job.id) ?? Promise.resolve())
            .then(() => this.onProgress(job.id, progress))
            .catch((error: Error) =>
              logger.warn({ err: error, jobId: job.id }, 'could not record training progress'),
            );
          this.progressChains.set(job.id, chain);
        },
      },
    );
    const entry = this.running.get(job.id);
    if (entry) entry.cancel = handle.cancel;
    if (this.cancelRequested.has(job.id)) handle.cancel();
    let result: TrainingResult;
    try {
      result = await handle.result;
    } finally {
      await this.progressChains.get(job.id);
      this.progressChains.delete(job.id);
      this.lastProgressWrites.delete(job.id);
    }
    if (result.status === 'cancelled') {
      await this.finish(job.id, { status: 'cancelled' }, 'cancelled');
      return;
    }
    const accuracy = `test accuracy ${(result.evaluation.test.accuracy * 100).toFixed(1)}%`;
    const { version, notActivated } = await models.registerTrained({
      plotType: await catalog.plotTypes.get(job.plot_type_id),
      artifactDir: result.modelDir,
      classes: parameters.classes,
      inputShape: parameters.inputShape,
      architecture: job.architecture,
      thresholds: result.thresholds,
      metrics: trainedMetrics(job, result),
      splitPredictions: splitPredictions(labeledSplit, result),
      activate: parameters.activate,
      activatedBy: {
        actor: `training job ${job.id} (${job.created_by})`,
        reason: `trained with activate (${accuracy})`,
      },
    });
    logger.info(
      { jobId: job.id, modelVersionId: version.id, accuracy: result.evaluation.test.accuracy, notActivated },
      'training job succeeded',
    );
    await this.finish(
      job.id,
      { status: 'succeeded', model_version_id: version.id },
      `succeeded: version ${version.version}, ${accuracy}` +
        (notActivated ? `; not activated: ${notActivated}` : ''),
    );
  }

  /** Streams every report; stores one at every epoch (with a log line) and otherwise at most every two seconds. */
  private async onProgress(jobId: number, progress: TrainingProgress): Promise<void> {
    const { catalog } = this.options;
    if (progress.phase === 'epoch') {
      const accuracy =
        progress.valAccuracy === undefined ? '' : `, validation accuracy ${progress.valAccuracy.toFixed(3)}`;
      await this.log(
        jobId,
        `epoch ${progress.epoch}/${progress.epochs}: loss ${progress.loss.toFixed(4)}, accuracy ${progress.accuracy.toFixed(3)}${accuracy}`,
        { progress },
      );
      this.lastProgressWrites.set(jobId, Date.now());
    } else if (Date.now() - (this.lastProgressWrites.get(jobId) ?? 0) >= PROGRESS_WRITE_MS) {
      this.publish(await catalog.trainingJobs.update(jobId, { progress }));
      this.lastProgressWrites.set(jobId, Date.now());
    } else {
      this.publish({ ...(await catalog.trainingJobs.get(jobId)), progress });
    }
  }

  private async log(jobId: number, line: string, changes: TrainingJobChanges = {}) {
    const { catalog } = this.options;
    const job = await catalog.trainingJobs.get(jobId);
    const updated = await catalog.trainingJobs.update(jobId, {
      ...changes,
      log: `${job.log}${new Date().toISOString()} ${line}\n`,
    });
    this.publish(updated);
    return updated;
  }

  private async finish(jobId: number, changes: TrainingJobChanges, line: string): Promise<TrainingJob> {
    this.cancelRequested.delete(jobId);
    return trainingJobView(await this.log(jobId, line, { ...changes, finished_at: Date.now() }));
  }

  private publish(job: TrainingJobRow) {
    this.options.events.publish('training', trainingJobView(job));
  }

  /** Cancels what runs and waits for it: a job cut short by a shutdown is marked failed at the next start. */
  async close(): Promise<void> {
    this.queue = [];
    const running = [...this.running.values()];
    for (const job of running) job.cancel?.();
    await Promise.all(running.map((job) => job.done));
  }
}
