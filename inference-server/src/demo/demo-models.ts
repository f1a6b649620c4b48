import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { IngestService } from '../pipeline/ingest.ts';
import { Value } from 'typebox/value';
import { TrainRequest } from '../schemas/index.ts';
import { modesByLabel, resolvePlotKind, simulatePlot } from '../simulator/index.ts';
import type { TrainingJobQueue } from '../training/job-queue.ts';

export interface DemoModelsOptions {
  catalog: Catalog;
  ingest: IngestService;
  trainingQueue: TrainingJobQueue;
  logger: FastifyBaseLogger;
  deployment: string;
  /** Labeled plots of each class a plot kind can show. */
  perClass: number;
  seed: number;
  /** Training schedule; the defaults train a usable small CNN in well under a minute per plot type on 2 cores. */
  training?: Partial<TrainRequest>;
  /** The demo stopping: no more plots are sent, and the jobs queued so far are returned. */
  signal?: AbortSignal;
}

/** A labeled training set lives in its own run, well below the live feed's, so the grid never shows it. */
const TRAINING_RUN = 1;
/** The demo's choices; the rest are the API's defaults. */
const DEMO_TRAINING: Partial<TrainRequest> = {
  epochs: 15,
  learningRate: 0.002,
  patience: 4,
  augment: false,
  activate: true,
};

/**
 * Gives every plot type of the demo deployment that has no model one trained on simulated, labeled plots, so that
 * verdicts flow: the plots go through ingest and labels as a labeller's would, and each plot type gets a training
 * job with `activate`. Plot types that already have a version (an earlier demo start) are left alone. Returns the
 * queued jobs' ids; the jobs run one after another, in the background.
 */
export async function trainDemoModels(options: DemoModelsOptions): Promise<number[]> {
  const { catalog, ingest, trainingQueue, logger, deployment, perClass, seed, signal } = options;
  const deploymentRow = await catalog.deployments.require(deployment);
  const jobIds: number[] = [];
  for (const plotType of await catalog.plotTypes.list(deploymentRow.id)) {
    if ((await catalog.models.listVersions(plotType.id)).length > 0) continue;
    const kind = resolvePlotKind(plotType.name);
    // Every class this kind can show, each from all the failure modes that produce it.
    const classes = modesByLabel(kind.failureModes);
    let index = 0;
    for (const [label, modes] of classes) {
      const imageIds: number[] = [];
      for (let i = 0; i < perClass; i++, index++) {
        // A plot type left half-sent gets its model at the next start.
        if (signal?.aborted) return jobIds;
        const mode = modes[i % modes.length];
        const plot = await simulatePlot({
          kind,
          run: TRAINING_RUN,
          seed: seed + index,
          ...(mode && { fault: { mode, strength: 'normal' as const } }),
        });
        const { image } = await ingest.accept({
          content: plot.png,
          deployment,
          plotType: plotType.name,
          run: TRAINING_RUN,
          chunk: `training-${index}`,
        });
        imageIds.push(image.id);
      }
      await catalog.labels.add({ imageIds, className: label, source: 'labeler', user: 'demo' });
    }
    const job = await trainingQueue.create(
      plotType.id,
      Value.Default(TrainRequest, { ...DEMO_TRAINING, ...options.training }) as TrainRequest,
      'demo',
    );
    jobIds.push(job.id);
    logger.info(
      { plotType: plotType.name, jobId: job.id, classes: [...classes.keys()], images: index },
      `demo: training a model for ${plotType.name} (job ${job.id}); its plots show no_model until it is active`,
    );
  }
  return jobIds;
}
