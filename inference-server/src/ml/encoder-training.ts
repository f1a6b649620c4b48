import { performance } from 'node:perf_hooks';
import type * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../inference/messages.ts';
import { calibrateThreshold } from './anomaly/calibration.ts';
import type { Calibration } from './anomaly/calibration.ts';
import { ImageDataset, mapDataset } from './image-dataset.ts';
import { saveModel } from './model-io.ts';

/** What an encoder's trainer gives back: the model (the caller's to dispose) with its loss per epoch, or cancelled. */
export type TrainedEncoder =
  | { status: 'completed'; model: tf.LayersModel; loss: number[]; steps: number; durationMs: number }
  | { status: 'cancelled'; loss: number[]; steps: number; durationMs: number };

export type EncoderTrainingResult =
  | {
      status: 'completed';
      backend: BackendInfo;
      calibration: Calibration;
      /** Mean loss per epoch. */
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

/** What every encoder's job holds besides its training set. */
export interface EncoderTrainingRequest {
  inputShape: [number, number, number];
  /** Recent image files, never learnt: the threshold is chosen on what the model makes of them. */
  calibration: string[];
  /** The false-alarm rate the threshold is chosen for. */
  targetRate: number;
  /** Where model.json and weights.bin are written. */
  outputDir: string;
}

/** Read per forward pass while calibrating. */
const CALIBRATION_BATCH = 32;

/**
 * Trains an encoder (`train`), reads the calibration images with it (`read`, one value per image in one tf.tidy),
 * chooses the threshold for the target rate on the scores those readings give (`scoresOf`), and saves the model.
 */
export async function runEncoderTraining<Reading>(
  request: EncoderTrainingRequest,
  backend: BackendInfo,
  train: () => Promise<TrainedEncoder>,
  read: (model: tf.LayersModel, inputs: Float32Array[], inputShape: [number, number, number]) => Reading[],
  scoresOf: (readings: Reading[]) => number[],
): Promise<EncoderTrainingResult> {
  const started = performance.now();
  const trained = await train();
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
    const readings = await mapDataset(dataset, CALIBRATION_BATCH, (inputs) =>
      read(model, inputs, request.inputShape),
    );
    const calibration = calibrateThreshold(scoresOf(readings), request.targetRate);
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
