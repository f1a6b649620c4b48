import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { BeamState } from '../enums.ts';
import type { ClaimedImage } from '../catalog/repositories/images-repository.ts';
import type { NewVerdict } from '../catalog/repositories/predictions-repository.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { PredictOutcome } from '../inference/messages.ts';
import type { InferencePool } from '../inference/pool.ts';
import type { AnomalyService, RunnableAutoencoder } from '../models/anomaly-service.ts';
import type { MeasuredReference, ReferenceDistanceService } from '../models/reference-distance-service.ts';
import type { ModelLibrary, RunnableModel } from '../models/model-library.ts';
import type { MachineStateReader } from './machine-state.ts';
import {
  anomalyOf,
  decideVerdict,
  referenceDistanceOf,
  type Anomaly,
  type ReferenceDistance,
} from './verdict.ts';
import type { VerdictSinks } from './verdict-sinks.ts';

/** An image claimed this many times without a verdict crashed its server each time: give it up. */
export const MAX_ATTEMPTS = 3;

/** Where a batch's outcomes go: live images become classified and reach the sinks; background work keeps its own. */
export interface BatchOutcomes {
  store(verdicts: NewVerdict[]): Promise<void>;
  fail(imageIds: number[], reason: string): Promise<void>;
}

/** A batch of background work: which version classifies which images, and where their outcomes go. */
export interface BackgroundBatch extends BatchOutcomes {
  modelVersionId: number;
  images: ClaimedImage[];
}

/**
 * Work that waits behind the live queue (reprocessing). It is asked for a batch only when no live image is pending
 * and fewer than `workers` batches are in flight, so a live batch never waits in line behind more than what runs.
 */
export interface BackgroundWork {
  /** How many workers it may keep busy at once (never more than the pool has). */
  readonly workers: number;
  claim(): Promise<BackgroundBatch | undefined>;
}

export interface BatcherOptions {
  catalog: Catalog;
  store: ImageStore;
  pool: InferencePool;
  models: ModelLibrary;
  logger: FastifyBaseLogger;
  /** This replica's name: it owns the images it claims. */
  instanceId: string;
  batchSize: number;
  /** Longest wait for a batch to fill. */
  maxWaitMs: number;
  /** How long a claim holds without renewal: the batcher renews its claims every third of it. */
  leaseMs: number;
  /** How often to look for pending images nobody announced (a restart, another replica's expired claims). */
  sweepIntervalMs: number;
  /** Where the stored verdicts of each finished batch go. */
  sinks: VerdictSinks;
  /** The beam each verdict is made under. */
  machine: Pick<MachineStateReader, 'beam'>;
  /** Asked for a batch when no live image is pending. */
  background?: BackgroundWork;
  /** The plot types' autoencoders: live verdicts of a plot type that has one carry its anomaly score. */
  anomaly?: Pick<AnomalyService, 'runnable'>;
  /** The plot types' references: live verdicts of a plot type that has one carry the distance from it. */
  references?: Pick<ReferenceDistanceService, 'measureFor'>;
}

/**
 * Moves pending images to the workers. The catalog is the queue: images are claimed in batches of one model,
 * and an image is pending until its prediction (or its failure) is stored. Every worker is kept fed: a burst is
 * split across the idle workers, and each worker has a batch waiting behind the one it runs, claimed as soon as
 * a worker answers (its verdicts are stored meanwhile), so no worker waits for this thread to claim or record.
 */
export class Batcher {
  private announced = 0;
  private waitTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  /** Batches handed to the pool and not answered yet: running on a worker or waiting for one. */
  private dispatched = 0;
  /** Every batch from its claim until its verdicts are stored. */
  private inFlight = new Set<Promise<void>>();
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private closed = false;
  private readonly live: BatchOutcomes = {
    store: async (verdicts) => {
      const { catalog, instanceId, logger, sinks } = this.options;
      const stored = await catalog.predictions.record(verdicts, { claimedBy: instanceId });
      if (stored.length < verdicts.length) {
        logger.warn(
          { dropped: verdicts.length - stored.length, modelVersionId: verdicts[0]?.modelVersionId },
          'verdicts dropped: their claims expired and another replica classified the images',
        );
      }
      if (stored.length) sinks.deliver(stored);
    },
    fail: (imageIds, reason) => this.options.catalog.images.finish(imageIds, 'failed', reason),
  };

  constructor(private readonly options: BatcherOptions) {}

  async start(): Promise<void> {
    // Claims left by this replica's previous life are stale: nothing of it runs any more.
    await this.options.catalog.images.releaseClaims(this.options.instanceId, { unused: false });
    this.sweepTimer = setInterval(() => this.pump(), this.options.sweepIntervalMs);
    this.sweepTimer.unref();
    this.renewTimer = setInterval(() => void this.renewClaims(), this.options.leaseMs / 3);
    this.renewTimer.unref();
    this.pump();
  }

  /** Keeps this replica's claims while it works on them: only the claims of a replica that stopped expire. */
  private async renewClaims(): Promise<void> {
    const { catalog, instanceId, leaseMs, logger } = this.options;
    try {
      await catalog.images.renewClaims(instanceId, leaseMs);
    } catch (error) {
      logger.warn({ err: error }, 'could not renew the claims on pending images');
    }
  }

  /** A new image is pending: flush now if a batch is full, otherwise within maxWaitMs. */
  notify(): void {
    this.announced += 1;
    if (this.announced >= this.options.batchSize) {
      this.pump();
    } else if (!this.waitTimer) {
      this.waitTimer = setTimeout(() => this.pump(), this.options.maxWaitMs);
    }
  }

  private pump(): void {
    if (this.closed) return;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.announced = 0;
    if (this.pumping) {
      // An image announced while claiming may have missed the last claim.
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.claimAndDispatch()
      .catch((error: Error) => this.options.logger.error({ err: error }, 'could not claim pending images'))
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async claimAndDispatch(): Promise<void> {
    for (let plan = this.nextClaim(); plan && !this.closed; plan = this.nextClaim()) {
      const claimed = await this.claimNext(plan.limit);
      if (claimed.length === 0) {
        if (await this.dispatchBackground()) continue;
        return;
      }
      for (const { modelVersionId, images } of await this.sortClaimed(claimed)) {
        // A batch goes to one worker with one classifier, one autoencoder (or none) and one reference (or none).
        for (const group of byPlotTypeAndAutoencoder(images)) {
          const batches = Math.max(
            Math.ceil(group.length / this.options.batchSize),
            Math.min(plan.idleWorkers, group.length),
          );
          for (const batch of splitEvenly(group, batches)) this.dispatch(modelVersionId, batch);
        }
      }
    }
  }

  /**
   * How many images to claim now: enough for every worker to have a batch running and one waiting. The idle
   * workers are how many batches a claim is spread over at least, so that a burst smaller than a batch per
   * worker still goes to all of them.
   */
  private nextClaim(): { limit: number; idleWorkers: number } | undefined {
    const workers = this.options.pool.stats().size;
    const room = 2 * workers - this.dispatched;
    if (room <= 0) return undefined;
    return { limit: room * this.options.batchSize, idleWorkers: Math.max(1, workers - this.dispatched) };
  }

  /**
   * Where the workers' next images come from: pending live images, oldest first. Background work (reprocessing)
   * is claimed only when this finds none (`dispatchBackground`).
   */
  private claimNext(limit: number): Promise<ClaimedImage[]> {
    const { catalog, instanceId, leaseMs } = this.options;
    return catalog.images.claimPending(instanceId, limit, leaseMs);
  }

  /** Classifies a batch; its place with the workers is free again (and the next claim made) once it is answered. */
  private dispatch(
    modelVersionId: number,
    images: ClaimedImage[],
    destination: BatchOutcomes = this.live,
  ): void {
    this.dispatched += 1;
    const answered = () => {
      this.dispatched -= 1;
      this.pump();
    };
    const task: Promise<void> = this.classify(modelVersionId, images, answered, destination)
      .catch((error: Error) => this.options.logger.error({ err: error }, 'batch failed'))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Live images first: background work gets a worker only while it would otherwise idle. */
  private async dispatchBackground(): Promise<boolean> {
    const { background, pool } = this.options;
    if (!background || this.dispatched >= Math.min(background.workers, pool.stats().size)) return false;
    const batch = await background.claim();
    if (!batch) return false;
    this.dispatch(batch.modelVersionId, batch.images, batch);
    return true;
  }

  /** Splits claimed images by model; images with no model, or claimed too often, are finished at once. */
  private async sortClaimed(claimed: ClaimedImage[]) {
    const { catalog, logger } = this.options;
    const byModel = new Map<number, ClaimedImage[]>();
    const noModel: number[] = [];
    for (const image of claimed) {
      if (image.attempts > MAX_ATTEMPTS) {
        logger.error({ imageId: image.id, attempts: image.attempts }, 'giving up on an image');
        await catalog.images.finish(
          [image.id],
          'failed',
          `gave up after ${MAX_ATTEMPTS} attempts: the server stopped each time while classifying it`,
        );
      } else if (image.active_model_version_id === null) {
        noModel.push(image.id);
      } else {
        const group = byModel.get(image.active_model_version_id) ?? [];
        group.push(image);
        byModel.set(image.active_model_version_id, group);
      }
    }
    await catalog.images.finish(noModel, 'no_model');
    return [...byModel].map(([modelVersionId, images]) => ({ modelVersionId, images }));
  }

  /** Predicts the batch, calls `answered` when the worker has answered, then stores the verdicts or the failure. */
  private async classify(
    modelVersionId: number,
    images: ClaimedImage[],
    answered: () => void,
    destination: BatchOutcomes = this.live,
  ): Promise<void> {
    const { store, pool, models, logger } = this.options;
    const ids = images.map((image) => image.id);
    let outcomes: PredictOutcome[];
    let model: RunnableModel;
    const anomaly = await this.autoencoderOf(images[0]?.active_anomaly_version_id);
    const reference = await this.referenceOf(images[0]);
    try {
      model = await models.runnable(modelVersionId);
      outcomes = await pool.predict(
        model,
        images.map((image) => ({ imageId: image.id, path: store.resolve(image.path) })),
        { anomaly: anomaly?.spec, reference: reference?.request },
      );
    } catch (error) {
      answered();
      const reason = `inference failed: ${(error as Error).message}`;
      logger.error({ imageIds: ids, modelVersionId, reason }, 'batch could not be classified');
      await destination.fail(ids, reason);
      return;
    }
    answered();
    const byId = new Map(images.map((image) => [image.id, image]));
    const now = Date.now();
    const beam = this.options.machine.beam();
    const verdicts: NewVerdict[] = [];
    const anomalyError = outcomes.find((outcome) => outcome.ok && outcome.anomalyError !== undefined);
    if (anomalyError?.ok) {
      logger.warn(
        { modelVersionId: anomaly?.spec.modelVersionId, reason: anomalyError.anomalyError },
        'the autoencoder could not score a batch: its verdicts are stored without an anomaly score',
      );
    }
    const referenceError = outcomes.find((outcome) => outcome.ok && outcome.referenceError !== undefined);
    if (referenceError?.ok) {
      logger.warn(
        { referenceImageId: reference?.imageId, reason: referenceError.referenceError },
        'the distance from the reference could not be measured: the verdicts are stored without it',
      );
    }
    for (const outcome of outcomes) {
      const image = byId.get(outcome.imageId)!;
      const verdict = outcome.ok
        ? this.toVerdict(model, image, outcome, now, beam, { anomaly, reference })
        : outcome.error;
      if (typeof verdict !== 'string') {
        verdicts.push(verdict);
      } else {
        logger.warn({ imageId: outcome.imageId, reason: verdict }, 'image could not be classified');
        await destination.fail([outcome.imageId], verdict);
      }
    }
    await destination.store(verdicts);
  }

  /** The image's verdict, or why its outputs make none (a model that does not fit its version's classes). */
  private toVerdict(
    model: RunnableModel,
    image: ClaimedImage,
    outcome: Extract<PredictOutcome, { ok: true }>,
    now: number,
    beam: BeamState,
    {
      anomaly,
      reference,
    }: { anomaly?: RunnableAutoencoder | undefined; reference?: MeasuredReference | undefined },
  ): NewVerdict | string {
    const reading =
      anomaly && outcome.anomalyOutputs && this.anomalyReading(anomaly, image, outcome.anomalyOutputs);
    const distance =
      reference &&
      outcome.referenceDistance !== undefined &&
      this.referenceReading(reference, image, outcome.referenceDistance);
    try {
      return {
        ...(reading && { anomaly: reading }),
        ...(distance && { reference: distance }),
        ...decideVerdict(model, outcome.outputs),
        imageId: image.id,
        deployment: image.deployment,
        plotTypeId: image.plot_type_id,
        plotType: image.plot_type,
        run: image.run_number,
        modelVersionId: model.modelVersionId,
        model: model.name,
        modelVersion: model.version,
        kind: model.kind,
        beam,
        latencyMs: now - image.received_at,
        inferenceMs: outcome.inferenceMs,
        capturedAt: image.captured_at,
        createdAt: now,
      };
    } catch (error) {
      return `no verdict from model ${model.name} v${model.version}: ${(error as Error).message}`;
    }
  }

  /** The autoencoder's reading of an image; a score it cannot judge is logged, and the verdict goes without. */
  private anomalyReading(
    anomaly: RunnableAutoencoder,
    image: ClaimedImage,
    outputs: number[],
  ): Anomaly | undefined {
    try {
      return anomalyOf(anomaly.spec.modelVersionId, anomaly.threshold, outputs);
    } catch (error) {
      this.options.logger.warn({ err: error, imageId: image.id }, 'no anomaly score for an image');
      return undefined;
    }
  }

  /** The distance from the reference, judged by the Siamese encoder's threshold; one it cannot judge is logged. */
  private referenceReading(
    reference: MeasuredReference,
    image: ClaimedImage,
    distance: number,
  ): ReferenceDistance | undefined {
    try {
      return referenceDistanceOf(reference.imageId, reference.siamese, distance);
    } catch (error) {
      this.options.logger.warn(
        { err: error, imageId: image.id },
        'no distance from the reference for an image',
      );
      return undefined;
    }
  }

  /**
   * The reference of a live batch's plot type, if it has one (reprocessing measures none); one that cannot be read is
   * logged and left out.
   */
  private async referenceOf(image: ClaimedImage | undefined): Promise<MeasuredReference | undefined> {
    const { references, logger } = this.options;
    if (!references || !image || image.active_siamese_version_id === undefined) return undefined;
    try {
      return await references.measureFor(image.plot_type_id, image.active_siamese_version_id);
    } catch (error) {
      logger.warn({ err: error, plotTypeId: image.plot_type_id }, 'reference left out of a batch');
      return undefined;
    }
  }

  /** The autoencoder of a batch's plot types, if any; one that cannot be read is logged and left out. */
  private async autoencoderOf(
    versionId: number | null | undefined,
  ): Promise<RunnableAutoencoder | undefined> {
    const { anomaly, logger } = this.options;
    if (!anomaly || versionId === null || versionId === undefined) return undefined;
    try {
      return await anomaly.runnable(versionId);
    } catch (error) {
      logger.warn({ err: error, modelVersionId: versionId }, 'autoencoder left out of a batch');
      return undefined;
    }
  }

  /** Stops claiming, lets running batches finish, and gives back what is still claimed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.waitTimer);
    clearInterval(this.sweepTimer);
    await this.pumping;
    await Promise.allSettled([...this.inFlight]);
    clearInterval(this.renewTimer);
    await this.options.catalog.images.releaseClaims(this.options.instanceId, { unused: true });
  }
}

/** Images grouped by plot type (its reference) and autoencoder (none is a group too), in claim order. */
function byPlotTypeAndAutoencoder(images: ClaimedImage[]): ClaimedImage[][] {
  const groups = new Map<string, ClaimedImage[]>();
  for (const image of images) {
    const key = `${image.plot_type_id}|${image.active_anomaly_version_id ?? null}`;
    const group = groups.get(key) ?? [];
    group.push(image);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** `items` in `parts` consecutive runs whose lengths differ by one at most. */
function splitEvenly<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, part) =>
    items.slice(Math.floor((part * items.length) / parts), Math.floor(((part + 1) * items.length) / parts)),
  );
}
