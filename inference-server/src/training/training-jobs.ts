import { randomUUID } from 'node:crypto';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { TrainingJobWithNames } from '../catalog/training-jobs.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { ModelRegistry } from '../models/model-registry.ts';
import type { LiveEvents } from '../pipeline/live-events.ts';
import type { TrainRequest, TrainingJob, TrainingProgress } from '../schemas/index.ts';
import { trainingJobView } from '../views/api-views.ts';
import { stratifiedSplit } from './stratified-split.ts';
import type { BackendName, TrainingResult } from '../inference/messages.ts';
import { startTraining } from '../inference/training-thread.ts';
import type { ArchitectureName } from '../ml/architectures/index.ts';
import { checkTrainingSet, TrainingSetError } from '../ml/training-set.ts';

export interface TrainingJobsOptions {
  catalog: Catalog;
  store: ImageStore;
  models: ModelRegistry;
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

/** What a request that names no architecture trains: the small CNN on a CPU, InceptionV3 on a GPU. */
export function defaultArchitecture(backend: BackendName): ArchitectureName {
  return backend === 'tensorflow-gpu' ? 'inceptionv3' : 'small-cnn';
}

/** Default input of a new model: the small CNN's small images train fast; the others take their native size. */
const DEFAULT_INPUT: Record<string, [number, number, number]> = {
  'small-cnn': [64, 64, 3],
  inceptionv3: [299, 299, 3],
  vgg16: [224, 224, 3],
};
const SPLIT = { validation: 0.15, test: 0.15 };
const PROGRESS_WRITE_MS = 2000;

/**
 * Training jobs, `concurrency` at a time: a request becomes a job with a recorded split, runs in a training worker,
 * reports progress to the catalog and the live stream, and ends as a new model version (or a clear failure).
 */
export class TrainingJobs {
  private queue: number[] = [];
  /** Jobs that have left the queue and not yet finished, with what cancels their worker once it runs. */
  private running = new Map<number, { cancel?: () => void; done: Promise<void> }>();
  private cancelRequested = new Set<number>();
  /** Each running job's progress reports, handled in order (its log is appended to, line by line). */
  private progressChains = new Map<number, Promise<unknown>>();
  private lastProgressWrites = new Map<number, number>();

  constructor(private readonly options: TrainingJobsOptions) {}

  async start(): Promise<void> {
    const failed = await this.options.catalog.trainingJobs.failUnfinished(
      'the server stopped while this job was queued or running',
    );
    if (failed)
      this.options.logger.warn({ jobs: failed }, 'marked training jobs of a previous run as failed');
  }

  async create(plotTypeId: number, request: TrainRequest, user: string): Promise<TrainingJob> {
    const { catalog } = this.options;
    await catalog.getPlotType(plotTypeId);
    const labelled = await catalog.trainingJobs.labelledImages(plotTypeId);
    const definedOrder = (await catalog.listClasses(plotTypeId)).map((c) => c.name);
    const present = [...new Set(labelled.map((l) => l.class_name))];
    const classes = [
      ...definedOrder.filter((name) => present.includes(name)),
      ...present.filter((name) => !definedOrder.includes(name)).sort(),
    ];
    if (labelled.length < 10) {
      throw new InvalidInputError(
        `plot type ${plotTypeId} has ${labelled.length} labelled images; training needs at least 10 (label more with POST /api/v1/labels)`,
      );
    }
    if (classes.length < 2) {
      throw new InvalidInputError(
        `every labelled image of plot type ${plotTypeId} is ${classes[0]}: a classifier needs at least two classes`,
      );
    }
    if (request.baseWeights !== undefined) await this.requireBaseWeights(request.baseWeights);
    const architecture = request.architecture ?? defaultArchitecture(this.options.backend);
    const inputShape =
      (request.inputShape as [number, number, number] | undefined) ?? DEFAULT_INPUT[architecture]!;
    const split = stratifiedSplit(labelled, (l) => l.class_name, request.seed, SPLIT);
    const labels = (part: typeof labelled) =>
      part.map((l) => ({ path: l.path, label: classes.indexOf(l.class_name) }));
    try {
      checkTrainingSet(classes, {
        train: labels(split.train),
        validation: labels(split.validation),
        test: labels(split.test),
      });
    } catch (error) {
      if (error instanceof TrainingSetError)
        throw new InvalidInputError(`these labels cannot train a model: ${error.message}`);
      throw error;
    }
    const ids = (part: typeof labelled) => part.map((l) => l.image_id);
    const job = await catalog.trainingJobs.create({
      plotTypeId,
      architecture,
      parameters: { ...request, architecture, inputShape, classes },
      split: { train: ids(split.train), validation: ids(split.validation), test: ids(split.test) },
      createdBy: user,
    });
    this.publish(job);
    this.queue.push(job.id);
    this.options.logger.info(
      { jobId: job.id, plotTypeId, architecture, images: labelled.length, classes },
      'training job queued',
    );
    this.startQueued();
    return trainingJobView(job);
  }

  /** The folder of the named base weights; a clear 400 that lists what there is when it has no model.json. */
  private async requireBaseWeights(name: string): Promise<string> {
    const { weightsDir } = this.options;
    const dir = path.join(weightsDir, name);
    try {
      await access(path.join(dir, 'model.json'));
      return dir;
    } catch {
      const available = await readdir(weightsDir).catch(() => [] as string[]);
      throw new InvalidInputError(
        `no base weights '${name}': ${path.join(dir, 'model.json')} does not exist (available in ${weightsDir}: ` +
          `${available.length > 0 ? available.join(', ') : 'none'})`,
      );
    }
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

  private async run(job: TrainingJobWithNames): Promise<void> {
    const { catalog, store, logger, modelsDir, models } = this.options;
    if (this.cancelRequested.has(job.id)) {
      await this.finish(job.id, { status: 'cancelled' }, 'cancelled before it started');
      return;
    }
    const parameters = JSON.parse(job.parameters) as TrainRequest & {
      architecture: NonNullable<TrainRequest['architecture']>;
      inputShape: [number, number, number];
      classes: string[];
    };
    const split = JSON.parse(job.split!) as { train: number[]; validation: number[]; test: number[] };
    const labelled = new Map(
      (await catalog.trainingJobs.labelledImages(job.plot_type_id)).map((l) => [l.image_id, l]),
    );
    const part = (ids: number[]) =>
      ids.flatMap((id) => {
        const image = labelled.get(id);
        return image
          ? [{ path: store.resolve(image.path), label: parameters.classes.indexOf(image.class_name) }]
          : [];
      });
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
        split: { train: part(split.train), validation: part(split.validation), test: part(split.test) },
        hyperParameters: {
          epochs: parameters.epochs,
          batchSize: parameters.batchSize,
          learningRate: parameters.learningRate,
          patience: parameters.patience,
          // Jobs recorded before these options existed used both.
          augment: parameters.augment ?? true,
          balanceClasses: parameters.balanceClasses ?? true,
          freezeBase: parameters.freezeBase ?? true,
          fineTuneEpochs: parameters.fineTuneEpochs ?? 0,
        },
        ...(parameters.baseWeights !== undefined && {
          baseWeightsDir: await this.requireBaseWeights(parameters.baseWeights),
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
    const plotType = await catalog.getPlotType(job.plot_type_id);
    const version = await models.registerTrained({
      plotType,
      artifactDir: result.modelDir,
      classes: parameters.classes,
      inputShape: parameters.inputShape,
      architecture: job.architecture,
      thresholds: result.thresholds,
      metrics: {
        history: result.history,
        evaluation: result.evaluation.test,
        validation: result.evaluation.validation,
        splitSizes: {
          train: split.train.length,
          validation: split.validation.length,
          test: split.test.length,
        },
        timings: result.timings,
        steps: result.steps,
        epochsRun: result.epochsRun,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        backend: result.backend.name,
        seed: parameters.seed,
        trainingJobId: job.id,
      },
      activate: parameters.activate,
    });
    logger.info(
      { jobId: job.id, modelVersionId: version.id, accuracy: result.evaluation.test.accuracy },
      'training job succeeded',
    );
    await this.finish(
      job.id,
      { status: 'succeeded', model_version_id: version.id },
      `succeeded: version ${version.version}, test accuracy ${(result.evaluation.test.accuracy * 100).toFixed(1)}%`,
    );
  }

  /** Streams every report; stores one at every epoch (with a log line) and otherwise at most every two seconds. */
  private async onProgress(jobId: number, progress: TrainingProgress): Promise<void> {
    const { catalog } = this.options;
    const stored = JSON.stringify(progress);
    if (progress.phase === 'epoch') {
      const accuracy =
        progress.valAccuracy === undefined ? '' : `, validation accuracy ${progress.valAccuracy.toFixed(3)}`;
      await this.log(
        jobId,
        `epoch ${progress.epoch}/${progress.epochs}: loss ${progress.loss.toFixed(4)}, accuracy ${progress.accuracy.toFixed(3)}${accuracy}`,
        {
          progress: stored,
        },
      );
      this.lastProgressWrites.set(jobId, Date.now());
    } else if (Date.now() - (this.lastProgressWrites.get(jobId) ?? 0) >= PROGRESS_WRITE_MS) {
      this.publish(await catalog.trainingJobs.update(jobId, { progress: stored }));
      this.lastProgressWrites.set(jobId, Date.now());
    } else {
      this.publish({ ...(await catalog.trainingJobs.get(jobId)), progress: stored });
    }
  }

  private async log(
    jobId: number,
    line: string,
    changes: Parameters<Catalog['trainingJobs']['update']>[1] = {},
  ) {
    const { catalog } = this.options;
    const job = await catalog.trainingJobs.get(jobId);
    const updated = await catalog.trainingJobs.update(jobId, {
      ...changes,
      log: `${job.log}${new Date().toISOString()} ${line}\n`,
    });
    this.publish(updated);
    return updated;
  }

  private async finish(
    jobId: number,
    changes: Parameters<Catalog['trainingJobs']['update']>[1],
    line: string,
  ): Promise<TrainingJob> {
    this.cancelRequested.delete(jobId);
    return trainingJobView(await this.log(jobId, line, { ...changes, finished_at: Date.now() }));
  }

  private publish(job: TrainingJobWithNames) {
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
