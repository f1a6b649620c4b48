import * as tf from '@tensorflow/tfjs';

/** An epoch's predictions on the validation images and what they score against the labels. */
export interface Validation {
  loss: number;
  accuracy: number;
  /** The model's class probabilities on the validation images, in order. */
  probabilities: number[][];
}

/**
 * Watches the validation loss: keeps a copy of the weights of the best epoch, and says when `patience` epochs have
 * passed without a better one. An epoch whose validation accuracy beats always answering the most frequent
 * validation class (`trivialAccuracy`) is better than any that does not, whatever its loss; among those alike, the
 * lower loss is better. Patience runs only once an epoch has beaten that answer: a model that has not started
 * learning (small sets can take many epochs) is never stopped, only by its epochs. The best is over the whole run;
 * patience restarts with each phase.
 */
export class EarlyStopping {
  readonly #patience: number;
  readonly #trivialAccuracy: number;
  #bestEpoch = 0;
  #best: Validation = { loss: Infinity, accuracy: 0, probabilities: [] };
  /** Whether the best epoch beat the trivial answer: from then on, only such an epoch can be better. */
  #learning = false;
  #bestWeights: tf.Tensor[] | undefined;
  /** The epoch patience counts from: the best one, or the last one before the current phase. */
  #patienceFrom = 0;

  constructor(patience: number, trivialAccuracy = 0) {
    this.#patience = patience;
    this.#trivialAccuracy = trivialAccuracy;
  }

  /** 1-based; 0 before any epoch. */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  get best(): Validation {
    return this.#best;
  }

  /** Records an epoch's validation; true when it ran out of patience. */
  update(model: tf.LayersModel, epoch: number, validation: Validation): boolean {
    const learning = validation.accuracy > this.#trivialAccuracy;
    const better = learning === this.#learning ? validation.loss < this.#best.loss : learning;
    if (better) {
      this.#best = validation;
      this.#bestEpoch = epoch;
      this.#learning = learning;
      this.#patienceFrom = epoch;
      this.#bestWeights?.forEach((weight) => weight.dispose());
      this.#bestWeights = copyWeights(model);
      return false;
    }
    return this.#learning && epoch - this.#patienceFrom >= this.#patience;
  }

  /** A new phase, after `epoch`, gets the full patience. */
  restartPatience(epoch: number): void {
    this.#patienceFrom = epoch;
  }

  /** Gives the model the best epoch's weights, if an epoch was recorded. */
  restoreBest(model: tf.LayersModel): void {
    if (this.#bestWeights) restoreWeights(model, this.#bestWeights);
  }

  dispose(): void {
    this.#bestWeights?.forEach((weight) => weight.dispose());
    this.#bestWeights = undefined;
  }
}

/**
 * Every weight of the model, layer by layer. Not `getWeights()`: that lists trainable weights first, so its order
 * changes when fine-tuning unfreezes the base.
 */
function layerWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return model.layers.flatMap((layer) => layer.weights);
}

function copyWeights(model: tf.LayersModel): tf.Tensor[] {
  return tf.tidy(() => layerWeights(model).map((weight) => weight.read().clone()));
}

function restoreWeights(model: tf.LayersModel, weights: tf.Tensor[]): void {
  layerWeights(model).forEach((weight, index) => weight.write(weights[index] as tf.Tensor));
}
