import type { BackendInfo } from '../../inference/messages.ts';
import { runEncoderTraining } from '../encoder-training.ts';
import type { EncoderTrainingRequest, EncoderTrainingResult } from '../encoder-training.ts';
import { anomalyScores } from './reconstruction.ts';
import { trainAutoencoder } from './train-autoencoder.ts';
import type { AutoencoderParameters } from './train-autoencoder.ts';

/** An autoencoder's training job: a plot type's recent images, none labeled; the threshold is chosen on others' scores. */
export interface AutoencoderTrainingRequest extends EncoderTrainingRequest {
  /** Image files it learns from. */
  train: string[];
  parameters: AutoencoderParameters;
  seed: number;
}

export type AutoencoderTrainingResult = EncoderTrainingResult;

/** Trains, saves and calibrates an autoencoder on the current thread's backend. */
export function runAutoencoderTraining(
  request: AutoencoderTrainingRequest,
  backend: BackendInfo,
  hooks: { onEpoch?: (epoch: number, loss: number) => void; signal?: AbortSignal } = {},
): Promise<AutoencoderTrainingResult> {
  const { inputShape, train, parameters, seed } = request;
  return runEncoderTraining(
    request,
    backend,
    () => trainAutoencoder({ inputShape, images: train, parameters, seed, ...hooks }),
    anomalyScores,
    (scores) => scores,
  );
}
