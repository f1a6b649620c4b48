import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../simulator/random.ts';
import { createArchitecture } from './architectures/index.ts';
import type { ArchitectureName } from './architectures/index.ts';
import { augmentInto, LIGHT_AUGMENTATION } from './augment.ts';
import type { AugmentationOptions } from './augment.ts';
import { enableScalelessBatchNormTraining } from './batch-norm-training.ts';
import { argMax } from './evaluate.ts';
import { ImageDataset, predictDataset } from './image-dataset.ts';
import { loadBaseWeights } from './model-io.ts';
import { checkTrainingSet } from './training-set.ts';
import type { LabelledImage } from './training-set.ts';

export interface HyperParameters {
  epochs: number;
  batchSize: number;
  /** Adam's step size; 1e-3 by default. */
  learningRate?: number;
  /** Epochs without a lower validation loss before training stops; 3 by default. */
  patience?: number;
  /** Light shifts and brightness changes of training images (see LIGHT_AUGMENTATION); on by default. */
  augment?: boolean;
  /** Weights each class's loss by N / (classes × its images), so a rare "Bad" counts as much; on by default. */
  balanceClasses?: boolean;
  /** With base weights: only the layers the base did not give (the new head) and the classifier learn; on by default. */
  freezeBase?: boolean;
  /**
   * With a frozen base: epochs of fine-tuning after the head has learnt, every layer trainable, at a tenth of the
   * step size (from the best weights so far, with its own patience); 0 by default.
   */
  fineTuneEpochs?: number;
}

/** Reported after every batch (`step`) and after each epoch's validation (`epoch`). */
export interface TrainingProgress {
  phase: 'step' | 'epoch';
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** 1-based, within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** Mean over the epoch's batches so far (class-weighted, as optimised). */
  loss: number;
  accuracy: number;
  /** On `epoch` reports. */
  valLoss?: number;
  valAccuracy?: number;
  /** Time left if every epoch runs (early stopping can end sooner). */
  etaSeconds: number;
}

/** One value per epoch run. */
export interface TrainingHistory {
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
}

export interface TrainClassifierOptions {
  architecture: ArchitectureName;
  inputShape: [number, number, number];
  classes: string[];
  train: LabelledImage[];
  validation: LabelledImage[];
  hyperParameters: HyperParameters;
  /** Seeds the initial weights, the batch order and the augmentation: the same seed gives the same model. */
  seed: number;
  /** A saved model whose weights, matched by layer name and shape, replace the random ones (transfer learning). */
  baseWeightsDir?: string;
  onProgress?: (progress: TrainingProgress) => void;
  /** Checked between batches; once aborted, training stops and resolves as cancelled. */
  signal?: AbortSignal;
}

interface TrainingRun {
  history: TrainingHistory;
  epochsRun: number;
  /** Batches trained on. */
  steps: number;
  durationMs: number;
}

export type TrainClassifierResult =
  | (TrainingRun & {
      status: 'completed';
      /** The caller's to dispose. With the weights of the epoch of lowest validation loss. */
      model: tf.LayersModel;
      /** 1-based epoch whose weights the model has. */
      bestEpoch: number;
      stoppedEarly: boolean;
      /** The model's class probabilities on the validation images, in order (for thresholds). */
      validationProbabilities: number[][];
    })
  | (TrainingRun & { status: 'cancelled' });

const NO_AUGMENTATION: AugmentationOptions = { maxShift: 0, maxBrightness: 0 };
/** Probabilities are clipped here before the log, as Keras's categorical cross-entropy does. */
const EPSILON = 1e-7;

function shuffled(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
}

function checkHyperParameters({
  epochs,
  batchSize,
  learningRate = 1e-3,
  patience = 3,
  fineTuneEpochs = 0,
}: HyperParameters): void {
  const problems = [
    !(Number.isInteger(epochs) && epochs >= 1) && `epochs must be a whole number ≥ 1, got ${epochs}`,
    !(Number.isInteger(batchSize) && batchSize >= 1) &&
      `batchSize must be a whole number ≥ 1, got ${batchSize}`,
    !(learningRate > 0) && `learningRate must be > 0, got ${learningRate}`,
    !(Number.isInteger(patience) && patience >= 1) && `patience must be a whole number ≥ 1, got ${patience}`,
    !(Number.isInteger(fineTuneEpochs) && fineTuneEpochs >= 0) &&
      `fineTuneEpochs must be a whole number ≥ 0, got ${fineTuneEpochs}`,
  ].filter((problem) => problem !== false);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}

/** Cross-entropy and accuracy of probabilities against labels, computed in JS from plain arrays. */
function lossAndAccuracy(probabilities: number[][], labels: number[]): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  probabilities.forEach((row, index) => {
    const label = labels[index] as number;
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, row[label] as number)));
    if (argMax(row) === label) correct++;
  });
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}

/**
 * Trains a new classifier of `architecture` on labelled image files with Adam: class-weighted cross-entropy,
 * light augmentation, early stopping on validation loss (restoring the best epoch's weights). With base weights
 * (transfer learning), the layers they fill are frozen while the new head learns, then optionally fine-tuned. It yields to the
 * event loop between batches, so a worker can still take messages (e.g. a cancel). Every tensor it creates, other
 * than the returned model's, is disposed.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const { classes, inputShape, hyperParameters, seed, onProgress, signal } = options;
  const { epochs, batchSize, learningRate = 1e-3, patience = 3 } = hyperParameters;
  checkHyperParameters(hyperParameters);
  const counts = checkTrainingSet(classes, options);
  const train = new ImageDataset(options.train, inputShape);
  const validation = new ImageDataset(options.validation, inputShape);
  const validationLabels = options.validation.map((image) => image.label);
  const augmentation = hyperParameters.augment === false ? NO_AUGMENTATION : LIGHT_AUGMENTATION;
  const random = Random.derive(seed, 'training');
  const imageSize = inputShape[0] * inputShape[1] * inputShape[2];
  const stepsPerEpoch = Math.ceil(train.size / batchSize);
  const started = performance.now();

  const model = createArchitecture(options.architecture, { inputShape, numClasses: classes.length, seed });
  let optimizer = tf.train.adam(learningRate);
  const classWeights = tf.tensor1d(
    counts.map((count) =>
      hyperParameters.balanceClasses === false ? 1 : train.size / (classes.length * count),
    ),
  );
  let disableBatchNormTraining = (): void => undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let completed = false;
  const history: TrainingHistory = { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
  let steps = 0;
  const run = (): TrainingRun => ({
    history,
    epochsRun: history.valLoss.length,
    steps,
    durationMs: performance.now() - started,
  });
  /** Epochs planned: the first phase's, and fine-tuning's once it is known to come. */
  let plannedEpochs = epochs;
  const etaSeconds = (): number =>
    ((performance.now() - started) / steps) * (plannedEpochs * stepsPerEpoch - steps) * 1e-3;

  try {
    const base =
      options.baseWeightsDir === undefined ? undefined : await loadBaseWeights(model, options.baseWeightsDir);
    // The classifier always learns, even when the base filled it too (a base of the same classes, e.g. an earlier
    // version): with every layer frozen there would be nothing to train.
    const classifier = model.layers.findLast((layer) => layer.weights.length > 0)?.name;
    const frozen =
      hyperParameters.freezeBase === false ? [] : (base?.copied ?? []).filter((name) => name !== classifier);
    const setTrainable = (trainable: boolean) => {
      for (const name of frozen) model.getLayer(name).trainable = trainable;
    };
    const fineTuneEpochs = frozen.length > 0 ? (hyperParameters.fineTuneEpochs ?? 0) : 0;
    plannedEpochs = epochs + fineTuneEpochs;
    setTrainable(false);
    disableBatchNormTraining = enableScalelessBatchNormTraining(model);
    const trainableVariables = () => model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    let variables = trainableVariables();
    let best = { valLoss: Infinity, epoch: 0, validationProbabilities: [] as number[][] };
    let stoppedEarly = false;
    let fineTuning = false;
    /** The last epoch of the current phase, and the epoch its patience counts from. */
    let phaseEnd = epochs;
    let phaseBest = 0;

    for (let epoch = 1; epoch <= phaseEnd && !stoppedEarly; epoch++) {
      const order = shuffled(train.size, random);
      const batches = Array.from({ length: stepsPerEpoch }, (_, step) =>
        order.slice(step * batchSize, (step + 1) * batchSize),
      );
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      // The next batch decodes (on libuv threads) while this one trains. A batch abandoned by a cancel or an error
      // may still fail: that failure is handled here, and reported by the await that uses the batch, if any.
      const prefetch = (indices: number[] = []): Promise<Uint8Array[]> => {
        const pixels = train.pixelsOf(indices);
        pixels.catch(() => undefined);
        return pixels;
      };
      let next = prefetch(batches[0]);
      for (const [index, batch] of batches.entries()) {
        await nextTurn();
        if (signal?.aborted) return { status: 'cancelled', ...run() };
        const pixels = await next;
        next = prefetch(batches[index + 1]);
        const inputs = new Float32Array(batch.length * imageSize);
        pixels.forEach((image, position) =>
          augmentInto(inputs, position * imageSize, image, inputShape, random, augmentation),
        );
        const labels = batch.map((image) => train.labelOf(image));
        const { loss, correctCount } = trainStep(
          model,
          optimizer,
          variables,
          classWeights,
          inputs,
          inputShape,
          labels,
        );
        const [lossValue, correctValue] = await Promise.all([loss.data(), correctCount.data()]);
        loss.dispose();
        correctCount.dispose();
        lossSum += (lossValue[0] as number) * batch.length;
        correct += correctValue[0] as number;
        seen += batch.length;
        steps++;
        onProgress?.({
          phase: 'step',
          epoch,
          epochs: plannedEpochs,
          step: index + 1,
          steps: stepsPerEpoch,
          loss: lossSum / seen,
          accuracy: correct / seen,
          etaSeconds: etaSeconds(),
        });
      }

      const validationProbabilities = await predictDataset(model, validation, batchSize);
      const { loss: valLoss, accuracy: valAccuracy } = lossAndAccuracy(
        validationProbabilities,
        validationLabels,
      );
      history.loss.push(lossSum / seen);
      history.accuracy.push(correct / seen);
      history.valLoss.push(valLoss);
      history.valAccuracy.push(valAccuracy);
      let patienceRunOut = false;
      if (valLoss < best.valLoss) {
        best = { valLoss, epoch, validationProbabilities };
        phaseBest = epoch;
        bestWeights?.forEach((weight) => weight.dispose());
        bestWeights = copyWeights(model);
      } else if (epoch - phaseBest >= patience) {
        patienceRunOut = true;
      }
      const startFineTuning = fineTuneEpochs > 0 && !fineTuning && (patienceRunOut || epoch === phaseEnd);
      stoppedEarly = patienceRunOut && !startFineTuning;
      if (startFineTuning) {
        if (bestWeights) restoreWeights(model, bestWeights);
        setTrainable(true);
        variables = trainableVariables();
        optimizer.dispose();
        optimizer = tf.train.adam(learningRate / 10);
        fineTuning = true;
        phaseEnd = epoch + fineTuneEpochs;
        phaseBest = epoch;
        plannedEpochs = phaseEnd;
      }
      onProgress?.({
        phase: 'epoch',
        epoch,
        epochs: plannedEpochs,
        step: stepsPerEpoch,
        steps: stepsPerEpoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss,
        valAccuracy,
        etaSeconds: stoppedEarly ? 0 : etaSeconds(),
      });
    }
    if (bestWeights) restoreWeights(model, bestWeights);
    completed = true;
    return {
      status: 'completed',
      model,
      bestEpoch: best.epoch,
      stoppedEarly,
      validationProbabilities: best.validationProbabilities,
      ...run(),
    };
  } finally {
    disableBatchNormTraining();
    bestWeights?.forEach((weight) => weight.dispose());
    classWeights.dispose();
    optimizer.dispose();
    if (!completed) model.dispose();
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

/** One Adam step on a batch; returns the batch's class-weighted loss and its number of correct predictions. */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  classWeights: tf.Tensor1D,
  inputs: Float32Array,
  inputShape: [number, number, number],
  labels: number[],
): { loss: tf.Scalar; correctCount: tf.Scalar } {
  let correctCount: tf.Scalar | undefined;
  const loss = tf.tidy(() => {
    const images = tf.tensor(inputs, [labels.length, ...inputShape]);
    const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), classWeights.size);
    return optimizer.minimize(
      () => {
        const probabilities = model.apply(images, { training: true }) as tf.Tensor2D;
        correctCount = tf.keep(
          tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.argMax(probabilities, 1), tf.argMax(targets, 1)), 'float32')),
        );
        const perImage = tf.metrics.categoricalCrossentropy(targets, probabilities);
        return tf.mean(tf.mul(perImage, tf.sum(tf.mul(targets, classWeights), 1))) as tf.Scalar;
      },
      true,
      variables,
    ) as tf.Scalar;
  });
  if (correctCount === undefined) throw new Error('The training step did not run');
  return { loss, correctCount };
}
