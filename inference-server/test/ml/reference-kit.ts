// Simulated sets for the reference distance's tests and bench: labeled plots a Siamese encoder learns from, and a
// reference with held-out good plots and plots of each failure mode, measured against it.
import type * as tf from '@tensorflow/tfjs';
import { preprocessImage } from '../../src/ml/preprocess.ts';
import { embeddingDistance, pixelEmbedding, siameseEmbeddings } from '../../src/ml/reference/embedding.ts';
import type { LabeledFile } from '../../src/ml/training-set.ts';
import { findPlotKind, labelFor, labels } from '../../src/simulator/index.ts';
import type { FailureModeName } from '../../src/simulator/index.ts';
import { SCORE_BATCH, writePlots } from './anomaly-kit.ts';

/**
 * `good` good plots and `perMode` plots of each of the kind's failure modes, labeled with the simulator's classes
 * (Good, Bad, ...) or, `byMode`, with their failure mode (a class of its own each).
 */
export async function writeLabeledSet(
  dir: string,
  {
    kind,
    seed,
    good,
    perMode,
    byMode = false,
  }: { kind: string; seed: number; good: number; perMode: number; byMode?: boolean },
): Promise<{ images: LabeledFile[] }> {
  const modes = findPlotKind(kind)!.failureModes;
  const classOf = (mode?: FailureModeName) =>
    byMode ? (mode === undefined ? 0 : 1 + modes.indexOf(mode)) : labels.indexOf(labelFor(mode));
  const images = (await writePlots(dir, { kind, seed, firstRun: 1, count: good })).map((path) => ({
    path,
    label: classOf(),
  }));
  for (const mode of modes) {
    const files = await writePlots(dir, { kind, seed, firstRun: 10_000, count: perMode, mode });
    images.push(...files.map((path) => ({ path, label: classOf(mode) })));
  }
  return { images };
}

export interface ScoredSets {
  reference: string;
  good: string[];
  faulty: Partial<Record<FailureModeName, string[]>>;
  /** Images measured, the reference left out. */
  count: number;
}

/** A good reference plot, `heldOut` other good plots and `faulty` plots of each failure mode, of runs never learnt. */
export async function writeScoredSets(
  dir: string,
  { kind, seed, heldOut, faulty }: { kind: string; seed: number; heldOut: number; faulty: number },
): Promise<ScoredSets> {
  const [reference, ...good] = await writePlots(dir, { kind, seed, firstRun: 200_000, count: heldOut + 1 });
  const sets: ScoredSets = { reference: reference!, good, faulty: {}, count: heldOut };
  for (const mode of findPlotKind(kind)!.failureModes) {
    sets.faulty[mode] = await writePlots(dir, { kind, seed, firstRun: 300_000, count: faulty, mode });
    sets.count += faulty;
  }
  return sets;
}

/** Each file's embedding, SCORE_BATCH at a time: the Siamese encoder's, or the plain one without a model. */
async function embedFiles(files: string[], inputShape: [number, number, number], model?: tf.LayersModel) {
  const embeddings: number[][] = [];
  for (let start = 0; start < files.length; start += SCORE_BATCH) {
    const inputs = await Promise.all(
      files.slice(start, start + SCORE_BATCH).map((file) => preprocessImage(file, inputShape)),
    );
    embeddings.push(
      ...(model
        ? siameseEmbeddings(model, inputs, inputShape)
        : inputs.map((input) => pixelEmbedding(input, inputShape))),
    );
  }
  return embeddings;
}

/** The distance of every plot of the sets from their reference. */
export async function distancesToReference(
  sets: ScoredSets,
  inputShape: [number, number, number],
  model?: tf.LayersModel,
): Promise<{ good: number[]; faulty: Partial<Record<FailureModeName, number[]>> }> {
  const [reference] = await embedFiles([sets.reference], inputShape, model);
  const distances = async (files: string[]) =>
    (await embedFiles(files, inputShape, model)).map((embedding) => embeddingDistance(embedding, reference!));
  const faulty: Partial<Record<FailureModeName, number[]>> = {};
  for (const [mode, files] of Object.entries(sets.faulty)) {
    faulty[mode as FailureModeName] = await distances(files);
  }
  return { good: await distances(sets.good), faulty };
}
