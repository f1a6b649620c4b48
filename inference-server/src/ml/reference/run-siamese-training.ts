import type { BackendInfo } from '../../inference/messages.ts';
import { runEncoderTraining } from '../encoder-training.ts';
import type { EncoderTrainingRequest, EncoderTrainingResult } from '../encoder-training.ts';
import type { LabeledFile } from '../training-set.ts';
import { embeddingDistance, siameseEmbeddings } from './embedding.ts';
import { trainSiamese } from './train-siamese.ts';
import type { SiameseParameters } from './train-siamese.ts';

/**
 * A Siamese encoder's training job: a plot type's labeled plots; the threshold is chosen on the distances of recent
 * plots (labeled or not) from their medoid.
 */
export interface SiameseTrainingRequest extends EncoderTrainingRequest {
  /** Labeled image files it learns from (label: the class's index). */
  train: LabeledFile[];
  parameters: SiameseParameters;
  seed: number;
}

export type SiameseTrainingResult = EncoderTrainingResult;

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
export function runSiameseTraining(
  request: SiameseTrainingRequest,
  backend: BackendInfo,
  hooks: { onEpoch?: (epoch: number, loss: number) => void; signal?: AbortSignal } = {},
): Promise<SiameseTrainingResult> {
  const { inputShape, train, parameters, seed } = request;
  return runEncoderTraining(
    request,
    backend,
    () => trainSiamese({ inputShape, images: train, parameters, seed, ...hooks }),
    siameseEmbeddings,
    distancesFromMedoid,
  );
}
