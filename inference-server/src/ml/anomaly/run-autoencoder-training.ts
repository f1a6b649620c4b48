import { performance } from 'node:perf_hooks';
import type { BackendInfo } from '../../inference/messages.ts';
import { saveModel } from '../model-io.ts';
import { ImageDataset } from '../image-dataset.ts';
import { pixelsToInput } from '../preprocess.ts';
import { calibrateThreshold } from './calibration.ts';
import type { Calibration } from './calibration.ts';
import { anomalyScores } from './reconstruction.ts';
import { trainAutoencoder } from './train-autoencoder.ts';
import type { AutoencoderParameters } from './train-autoencoder.ts';

/** An autoencoder's training job: a plot type's recent images, none labeled. */
export interface AutoencoderTrainingRequest {
  inputShape: [number, number, number];
  /** Image files it learns from. */
  train: string[];
  /** Other recent image files: the threshold is chosen on their scores (not on images it learnt). */
  calibration: string[];
  parameters: AutoencoderParameters;
  /** The false-alarm rate the threshold is chosen for. */
  targetRate: number;
  seed: number;
  /** Where model.json (with the usual error of each pixel) and weights.bin are written. */
  outputDir: string;
}

export type AutoencoderTrainingResult =
  | {
      status: 'completed';
      backend: BackendInfo;
      calibration: Calibration;
      /** Mean trimmed loss per epoch. */
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

/** Scored per forward pass while calibrating. */
const CALIBRATION_BATCH = 32;

/** Trains, saves and calibrates an autoencoder on the current thread's backend. */
export async function runAutoencoderTraining(
  request: AutoencoderTrainingRequest,
  backend: BackendInfo,
  hooks: { onEpoch?: (epoch: number, loss: number) => void; signal?: AbortSignal } = {},
): Promise<AutoencoderTrainingResult> {
  const started = performance.now();
  const trained = await trainAutoencoder({
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
    const scores: number[] = [];
    for (let start = 0; start < dataset.size; start += CALIBRATION_BATCH) {
      const indices = Array.from(
        { length: Math.min(CALIBRATION_BATCH, dataset.size - start) },
        (_, i) => start + i,
      );
      const inputs = (await dataset.pixelsOf(indices)).map(pixelsToInput);
      scores.push(...anomalyScores(model, inputs, request.inputShape));
    }
    const calibration = calibrateThreshold(scores, request.targetRate);
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
