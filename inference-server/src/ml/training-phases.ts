import * as tf from '@tensorflow/tfjs';
import { loadBaseWeights } from './model-io.ts';
import type { HyperParameters } from './train.ts';
import type { Optimisation } from './train-epoch.ts';

/** A stretch of training with an optimizer of its own. */
export interface TrainingPhase {
  /** At most: early stopping can end the phase sooner. */
  epochs: number;
  learningRate: number;
  /** Whether the layers filled from base weights learn too, or stay frozen while the new head learns. */
  baseLearns: boolean;
}

/**
 * Loads the base weights, if any, and plans the phases: the new head learns on the frozen base, then, if asked,
 * every layer is fine-tuned at a tenth of the step size. Returns the phases and the layers frozen at first.
 */
export async function planPhases(
  model: tf.LayersModel,
  hyperParameters: HyperParameters,
  baseWeightsDir: string | undefined,
): Promise<{ phases: TrainingPhase[]; baseLayers: string[] }> {
  const { epochs, learningRate = 1e-3, fineTuneEpochs = 0, freezeBase = true } = hyperParameters;
  const base = baseWeightsDir === undefined ? undefined : await loadBaseWeights(model, baseWeightsDir);
  // The classifier always learns, even when the base filled it too (a base of the same classes, e.g. an earlier
  // version): with every layer frozen there would be nothing to train.
  const classifier = model.layers.findLast((layer) => layer.weights.length > 0)?.name;
  const baseLayers = freezeBase ? (base?.copied ?? []).filter((name) => name !== classifier) : [];
  const headPhase = { epochs, learningRate, baseLearns: false };
  if (baseLayers.length === 0 || fineTuneEpochs === 0) return { phases: [headPhase], baseLayers };
  const fineTunePhase = { epochs: fineTuneEpochs, learningRate: learningRate / 10, baseLearns: true };
  return { phases: [headPhase, fineTunePhase], baseLayers };
}

/** Sets which layers learn in `phase`, and gives it a new Adam optimizer over them. The caller disposes it. */
export function enterPhase(model: tf.LayersModel, baseLayers: string[], phase: TrainingPhase): Optimisation {
  for (const name of baseLayers) model.getLayer(name).trainable = phase.baseLearns;
  return {
    optimizer: tf.train.adam(phase.learningRate),
    variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
  };
}
