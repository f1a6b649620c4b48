// Two small versions of one plot type, trained through the API on labeled simulator plots, for the tests of the
// Library's evaluation views. They live in a deployment of their own, so no other test's plot types or labels change.
import type { ModelVersion, ModelVersionList, PlotTypeInfo, TrainingJob } from '@hydra/inference-server/api';
import type { HydraServerInfo } from '@hydra/plugin-kit/testing';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';

type Role = keyof HydraServerInfo['tokens'];
type Api = <T>(role: Role, method: string, path: string, body?: object) => Promise<T>;

export const EVALUATION_DEPLOYMENT = 'library-eval';
export const EVALUATION_PLOT_TYPE = 'CDC_occupancy';
const PER_CLASS = 24;
/** Tiny on purpose: 16×16 input, a few epochs; `a` learns the task, `b` barely starts, so the two disagree. */
const TRAINING = { architecture: 'small-cnn', inputShape: [16, 16, 3], batchSize: 4, augment: false, seed: 1 };
const TRAIN_A = { ...TRAINING, epochs: 6, learningRate: 0.005 };
// As given, not adapted to a small set (which would train it for 100 steps, and it would learn).
const TRAIN_B = { ...TRAINING, epochs: 1, learningRate: 0.00001, adaptToSmallSet: false };

export interface TrainedVersions {
  plotType: PlotTypeInfo;
  a: ModelVersion;
  b: ModelVersion;
  /** With `relabeled`: trained after every label was swapped, so it shares no test image (same true class) with a. */
  relabeled?: ModelVersion;
}

/**
 * Uploads Good plots (full brightness) and Bad ones (dimmed, the brightness ranges overlapping a little so that a
 * model can be unsure), labels them, and trains the two versions on the same split (same labels and seed).
 */
export async function trainVersions(
  api: Api,
  hydra: HydraServerInfo,
  { relabeled = false } = {}
): Promise<TrainedVersions> {
  await api('admin', 'POST', '/deployments', { name: EVALUATION_DEPLOYMENT, title: 'Library evaluation tests' });
  const plotType = await api<PlotTypeInfo>('admin', 'POST', '/plot-types', {
    deployment: EVALUATION_DEPLOYMENT,
    name: EVALUATION_PLOT_TYPE,
    group: 'CDC',
  });
  const server = { ...hydra, deployment: EVALUATION_DEPLOYMENT } as unknown as HydraServer;
  const images: Record<string, number[]> = {};
  for (const [className, brightness] of [
    ['Good', (i: number) => 0.5 + (0.5 * i) / PER_CLASS],
    ['Bad', (i: number) => 0.1 + (0.5 * i) / PER_CLASS],
  ] as const) {
    const uploads = await Promise.all(
      Array.from({ length: PER_CLASS }, (_, i) =>
        postPlot(server, { plotType: EVALUATION_PLOT_TYPE, run: 5000 + i, seed: 300 + i, brightness: brightness(i) })
      )
    );
    images[className] = uploads.map((upload) => upload.image.id);
    await label(api, images[className]!, className);
  }
  const a = await train(api, plotType.id, TRAIN_A);
  const b = await train(api, plotType.id, TRAIN_B);
  if (!relabeled) {
    return { plotType, a, b };
  }
  await label(api, images.Good!, 'Bad');
  await label(api, images.Bad!, 'Good');
  return { plotType, a, b, relabeled: await train(api, plotType.id, TRAIN_B) };
}

const label = (api: Api, imageIds: number[], className: string) =>
  api('labeler', 'POST', '/labels', { imageIds, class: className, source: 'labeler' });

async function train(api: Api, plotTypeId: number, body: object): Promise<ModelVersion> {
  const queued = await api<TrainingJob>('expert', 'POST', `/models/${plotTypeId}/train`, body);
  const deadline = Date.now() + 240_000;
  for (;;) {
    const job = await api<TrainingJob>('viewer', 'GET', `/training-jobs/${queued.id}`);
    // A barely trained version may be no better than the trivial answer: not useful, but kept, with its figures.
    if (job.status === 'succeeded' || job.status === 'not-useful') {
      const { items } = await api<ModelVersionList>('viewer', 'GET', `/models/${plotTypeId}`);
      return items.find((version) => version.id === job.modelVersionId)!;
    }
    if (job.status === 'failed' || job.status === 'cancelled' || Date.now() > deadline) {
      throw new Error(`training job ${job.id} ${job.status}: ${job.error ?? job.log.at(-1)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
