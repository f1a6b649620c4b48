import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { TrainingJobChanges, TrainingJobRow } from '../catalog/repositories/training-jobs-repository.ts';
import { ConflictError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { ModelLibrary } from '../models/model-library.ts';
import type { LiveEvents } from '../pipeline/live-events.ts';
import type { ReplicaBus } from '../replicas/replica-bus.ts';
import type { TrainRequest, TrainingJob, TrainingProgress } from '../schemas/index.ts';
import { trainingJobView } from '../views/api-views.ts';
import type { BackendName, TrainingResult } from '../inference/messages.ts';
import { startTraining } from '../inference/training-thread.ts';
import { smallSetSchedule } from './small-set.ts';
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
  /** The other replicas on the catalog: they may claim a queued job, and one of them may run a job to cancel. */
  replicas: ReplicaBus;
  /** This replica's name: it owns the jobs it claims. */
  instanceId: string;
  /** How long a claim holds without renewal: the queue renews its claims every third of it. */
  leaseMs: number;
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
 * Training jobs, `concurrency` at a time on each replica: a request becomes a queued job with a recorded split; a
 * replica claims it (once, across replicas), runs it in a training worker, reports progress to the catalog and the
 * live stream, and ends it as a new model version (or a clear failure).
 */
export class TrainingJobQueue {
  /** Jobs this replica claimed and has not finished, with what cancels their worker once it runs. */
  private running = new Map<number, { cancel?: () => void; done: Promise<void> }>();
  private cancelRequested = new Set<number>();
  /** Each running job's progress reports, handled in order (its log is appended to, line by line). */
  private progressChains = new Map<number, Promise<unknown>>();
  private lastProgressWrites = new Map<number, number>();
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private leaseTimer: NodeJS.Timeout | undefined;
  private stopListening: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: TrainingJobQueueOptions) {}

  async start(): Promise<void> {
    const { replicas, instanceId, leaseMs } = this.options;
    await this.failAbandoned(instanceId);
    this.stopListening = [
      replicas.on('training-queued', () => this.claimQueued()),
      replicas.on('training-cancel', ({ jobId }) => {
        if (this.running.has(jobId)) this.cancelHere(jobId);
      }),
    ];
    this.leaseTimer = setInterval(() => void this.keepLeases(), leaseMs / 3);
    this.leaseTimer.unref();
    this.claimQueued();
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
    const { architecture, classes } = plan.parameters;
    logger.info(
      { jobId: job.id, plotType: job.plot_type, architecture, images: plan.images, classes },
      'training job queued',
    );
    this.options.replicas.send({ type: 'training-queued', jobId: job.id });
    this.claimQueued();
    return trainingJobView(job);
  }

  async cancel(jobId: number): Promise<TrainingJob> {
    const { catalog, instanceId, replicas } = this.options;
    const job = await catalog.trainingJobs.get(jobId);
    if (job.status !== 'queued' && job.status !== 'running') {
      throw new ConflictError(
        `training job ${jobId} is ${job.status}; only queued or running jobs can be cancelled`,
      );
    }
    if (job.status === 'queued' && (await catalog.trainingJobs.cancelQueued(jobId))) {
      return this.finish(jobId, { status: 'cancelled' }, 'cancelled before it started');
    }
    // It runs, or a replica claimed it a moment ago: the replica that runs it ends it, through run().
    const claimed = await catalog.trainingJobs.get(jobId);
    if (claimed.claimed_by === instanceId) {
      this.cancelHere(jobId);
    } else {
      await catalog.trainingJobs.requestCancel(jobId);
      replicas.send({ type: 'training-cancel', jobId });
    }
    return trainingJobView(claimed);
  }

  /**
   * Stops a job this replica runs. One that has not started its worker yet ends in run(), which sees the request;
   * finishing it here would let run() carry on and revive it.
   */
  private cancelHere(jobId: number): void {
    this.cancelRequested.add(jobId);
    this.running.get(jobId)?.cancel?.();
  }

  /** Claims queued jobs, oldest first, while fewer than `concurrency` run here. */
  private claimQueued(): void {
    if (this.closed) return;
    if (this.claiming) {
      // A job queued while claiming may have missed the last claim.
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileFree()
      .catch((error: Error) => this.options.logger.error({ err: error }, 'could not claim a training job'))
      .finally(() => {
        this.claiming = undefined;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.claimQueued();
        }
      });
  }

  private async claimWhileFree(): Promise<void> {
    const { catalog, instanceId, leaseMs, concurrency } = this.options;
    while (!this.closed && this.running.size < concurrency) {
      const job = await catalog.trainingJobs.claimNext(instanceId, leaseMs);
      if (!job) return;
      const done = this.runJob(job.id).finally(() => {
        this.running.delete(job.id);
        this.claimQueued();
      });
      this.running.set(job.id, { done });
    }
  }

  /**
   * Every third of a lease: renews the claims of the jobs running here and stops those someone asked (on another
   * replica) to cancel, fails the jobs of replicas that stopped, and claims what waits.
   */
  private async keepLeases(): Promise<void> {
    const { catalog, instanceId, leaseMs, logger } = this.options;
    try {
      const cancelled = await catalog.trainingJobs.renewClaims(instanceId, leaseMs);
      for (const jobId of cancelled) if (!this.cancelRequested.has(jobId)) this.cancelHere(jobId);
      await this.failAbandoned();
    } catch (error) {
      logger.warn({ err: error }, 'could not renew the claims on training jobs');
    }
    this.claimQueued();
  }

  /** Fails the running jobs of replicas that stopped (and, at start, this one's from before a restart). */
  private async failAbandoned(restarted?: string): Promise<void> {
    const failed = await this.options.catalog.trainingJobs.failAbandoned({ restarted });
    for (const { id, replica } of failed) {
      const who = replica === null ? 'the server' : `replica ${replica}`;
      this.options.logger.warn(
        { jobId: id, replica },
        `training job ${id} failed: ${who} stopped while running it`,
      );
      await this.log(id, `failed: ${who} stopped while running it`);
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
      `started on ${this.options.instanceId}: ${split.train.length} train, ${split.validation.length} validation, ` +
        `${split.test.length} test images`,
    );
    // Jobs stored before the setting existed adapt, as they did.
    const { schedule, note } =
      parameters.adaptToSmallSet === false
        ? { schedule: parameters, note: undefined }
        : smallSetSchedule(labeledSplit.train.length, parameters);
    if (note) await this.log(job.id, note);
    const handle = startTraining(
      {
        architecture: parameters.architecture,
        inputShape: parameters.inputShape,
        classes: parameters.classes,
        split: trainingSplit(labeledSplit, parameters.classes, (l) => store.resolve(l.path)),
        hyperParameters: {
          epochs: schedule.epochs,
          batchSize: schedule.batchSize,
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
    const { version, notUseful, notActivated } = await models.registerTrained({
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
    if (notUseful) {
      logger.warn(
        { jobId: job.id, plotType: job.plot_type, modelVersionId: version.id, notUseful },
        `training job ${job.id} (${job.plot_type}) is not useful: ${notUseful}`,
      );
      await this.finish(
        job.id,
        { status: 'not-useful', model_version_id: version.id, error: notUseful },
        `not useful: ${notUseful}; version ${version.version} is kept for inspection and never activated`,
      );
      return;
    }
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

  /** Cancels what runs here and waits for it; queued jobs wait for another replica, or the next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.leaseTimer);
    for (const stop of this.stopListening) stop();
    await this.claiming;
    const running = [...this.running.values()];
    for (const job of running) job.cancel?.();
    await Promise.all(running.map((job) => job.done));
  }
}
