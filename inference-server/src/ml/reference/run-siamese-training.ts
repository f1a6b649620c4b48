import { performance } from 'node:perf_hooks';
import type { BackendInfo } from '../../inference/messages.ts';
import { calibrateThreshold } from '../anomaly/calibration.ts';
import type { Calibration } from '../anomaly/calibration.ts';
import { ImageDataset } from '../image-dataset.ts';
import { saveModel } from '../model-io.ts';
import { pixelsToInput } from '../preprocess.ts';
import type { LabeledFile } from '../training-set.ts';
import { embeddingDistance, siameseEmbeddings } from './embedding.ts';
import { trainSiamese } from './train-siamese.ts';
import type { SiameseParameters } from './train-siamese.ts';

/** A Siamese encoder's training job: a plot type's labeled plots, and other recent plots to calibrate on. */
export interface SiameseTrainingRequest {
  inputShape: [number, number, number];
  /** Labeled image files it learns from (label: the class's index). */
  train: LabeledFile[];
  /** Recent image files, labeled or not: the threshold is chosen on their distances from their medoid. */
  calibration: string[];
  parameters: SiameseParameters;
  /** The false-alarm rate the threshold is chosen for. */
  targetRate: number;
  seed: number;
  /** Where model.json and weights.bin are written. */
  outputDir: string;
}

export type SiameseTrainingResult =
  | {
      status: 'completed';
      backend: BackendInfo;
      calibration: Calibration;
      /** Mean contrastive loss per epoch. */
      loss: number[];
      steps: number;
      timings: { totalMs: number; trainMs: number; calibrateMs: number };
    }
  | {
      status: 'cancelled';
      backend: BackendInfo;
      loss: number[];
      steps: number;
      timings: { totalMs: number };
    };

/** Embedded per forward pass while calibrating. */
const CALIBRATION_BATCH = 32;

/**
 * Each embedding's distance from their medoid (the one nearest the others, as a shifter picks a typical plot for a
 * reference), the medoid left out: how far usual plots lie from a usual reference, whichever it is.
 */
export function distancesFromMedoid(embeddings: readonly number[][]): number[] {
  const totals = embeddings.map((a) => embeddings.reduce((sum, b) => sum + embeddingDistance(a, b), 0));
  const medoid = totals.indexOf(Math.min(...totals));
  return embeddings
    .filter((_, index) => index !== medoid)
    .map((embedding) => embeddingDistance(embedding, embeddings[medoid]!));
}

/** Trains, saves and calibrates a Siamese encoder on the current thread's backend. */
export async function runSiameseTraining(
  request: SiameseTrainingRequest,
  backend: BackendInfo,
  hooks: { onEpoch?: (epoch: number, loss: number) => void; signal?: AbortSignal } = {},
): Promise<SiameseTrainingResult> {
  const started = performance.now();
  const trained = await trainSiamese({
    inputShape: request.inputShape,
    images: request.train,
    parameters: request.parameters,
    seed: request.seed,
    ...hooks,
  });
  const { loss, steps } = trained;
  if (trained.status === 'cancelled') {
    return { status: 'cancelled', backend, loss, steps, timings: { totalMs: performance.now() - started } };
  }
  const { model } = trained;
  try {
    const calibrating = performance.now();
    const dataset = new ImageDataset(
      request.calibration.map((path) => ({ path, label: 0 })),
      request.inputShape,
    );
    const embeddings: number[][] = [];
    for (let start = 0; start < dataset.size; start += CALIBRATION_BATCH) {
      const indices = Array.from(
        { length: Math.min(CALIBRATION_BATCH, dataset.size - start) },
        (_, i) => start + i,
      );
      const inputs = (await dataset.pixelsOf(indices)).map(pixelsToInput);
      embeddings.push(...siameseEmbeddings(model, inputs, request.inputShape));
    }
    const calibration = calibrateThreshold(distancesFromMedoid(embeddings), request.targetRate);
    const calibrateMs = performance.now() - calibrating;
    await saveModel(model, request.outputDir);
    return {
      status: 'completed',
      backend,
      calibration,
      loss,
      steps,
      timings: { totalMs: performance.now() - started, trainMs: trained.durationMs, calibrateMs },
    };
  } finally {
    model.dispose();
  }
}
