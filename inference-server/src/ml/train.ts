import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../simulator/random.ts';
import { createArchitecture } from './architectures/index.ts';
import type { ArchitectureName } from './architectures/index.ts';
import { LIGHT_AUGMENTATION } from './augment.ts';
import type { AugmentationOptions } from './augment.ts';
import { enableScalelessBatchNormTraining } from './batch-norm-training.ts';
import { EarlyStopping } from './early-stopping.ts';
import type { Validation } from './early-stopping.ts';
import { argMax } from './evaluate.ts';
import { ImageDataset, predictDataset } from './image-dataset.ts';
import { batchesPerEpoch, runEpoch } from './train-epoch.ts';
import type { EpochSetup } from './train-epoch.ts';
import { enterPhase, planPhases } from './training-phases.ts';
import { checkTrainingSet, majorityShare } from './training-set.ts';
import type { LabeledFile } from './training-set.ts';
import type { TrainingProgress } from '../schemas/training.ts';

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
/** A progress report, as the API streams it: defined once, in the schema. */
export type { TrainingProgress };

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
  train: LabeledFile[];
  validation: LabeledFile[];
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

/** Counts the steps, and estimates the time left if every planned epoch runs. */
class TrainingClock {
  readonly #started = performance.now();
  readonly #stepsPerEpoch: number;
  steps = 0;
  /** The epochs of every phase, until a phase ends early. */
  plannedEpochs = 0;

  constructor(stepsPerEpoch: number) {
    this.#stepsPerEpoch = stepsPerEpoch;
  }

  get elapsedMs(): number {
    return performance.now() - this.#started;
  }

  etaSeconds(): number {
    return (this.elapsedMs / this.steps) * (this.plannedEpochs * this.#stepsPerEpoch - this.steps) * 1e-3;
  }
}

/** The model's class probabilities on the validation images, and their cross-entropy and accuracy. */
async function validate(
  model: tf.LayersModel,
  validation: ImageDataset,
  batchSize: number,
): Promise<Validation> {
  const probabilities = await predictDataset(model, validation, batchSize);
  let loss = 0;
  let correct = 0;
  probabilities.forEach((row, index) => {
    const label = validation.labelOf(index);
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, row[label] as number)));
    if (argMax(row) === label) correct++;
  });
  return { loss: loss / validation.size, accuracy: correct / validation.size, probabilities };
}

/**
 * Trains a new classifier of `architecture` on labeled image files with Adam: class-weighted cross-entropy,
 * light augmentation, early stopping on validation loss once the model beats the trivial answer (restoring the
 * best epoch's weights: see EarlyStopping). With base weights (transfer learning), the layers they fill are frozen
 * while the new head learns, then optionally fine-tuned. It yields to the event loop between batches, so a worker
 * can still take messages (e.g. a cancel). Every tensor it creates, other than the returned model's, is disposed.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const { classes, inputShape, hyperParameters, seed, onProgress } = options;
  checkHyperParameters(hyperParameters);
  const counts = checkTrainingSet(classes, options);
  const { batchSize, patience = 3 } = hyperParameters;
  const train = new ImageDataset(options.train, inputShape);
  const validation = new ImageDataset(options.validation, inputShape);
  const stepsPerEpoch = batchesPerEpoch(train.size, batchSize);
  const clock = new TrainingClock(stepsPerEpoch);
  const model = createArchitecture(options.architecture, { inputShape, numClasses: classes.length, seed });
  const setup: EpochSetup = {
    model,
    train,
    batchSize,
    classWeights: tf.tensor1d(
      counts.map((count) =>
        hyperParameters.balanceClasses === false ? 1 : train.size / (classes.length * count),
      ),
    ),
    augmentation: hyperParameters.augment === false ? NO_AUGMENTATION : LIGHT_AUGMENTATION,
    random: Random.derive(seed, 'training'),
    signal: options.signal,
  };
  const stopping = new EarlyStopping(patience, majorityShare(options.validation, classes.length));
  const history: TrainingHistory = { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
  const run = (): TrainingRun => ({
    history,
    epochsRun: history.valLoss.length,
    steps: clock.steps,
    durationMs: clock.elapsedMs,
  });
  const report = (progress: Omit<TrainingProgress, 'epochs' | 'steps' | 'etaSeconds'>, ended = false) =>
    onProgress?.({
      ...progress,
      epochs: clock.plannedEpochs,
      steps: stepsPerEpoch,
      etaSeconds: ended ? 0 : clock.etaSeconds(),
    });
  let disableBatchNormTraining = (): void => undefined;
  let completed = false;

  try {
    const { phases, baseLayers } = await planPhases(model, hyperParameters, options.baseWeightsDir);
    clock.plannedEpochs = phases.reduce((sum, phase) => sum + phase.epochs, 0);
    disableBatchNormTraining = enableScalelessBatchNormTraining(model);
    let epoch = 0;
    let stoppedEarly = false;
    for (const [index, phase] of phases.entries()) {
      const nextPhase = phases[index + 1];
      if (index > 0) {
        stopping.restoreBest(model);
        stopping.restartPatience(epoch);
      }
      const optimisation = enterPhase(model, baseLayers, phase);
      try {
        for (let phaseEpoch = 1; phaseEpoch <= phase.epochs; phaseEpoch++) {
          epoch++;
          const trained = await runEpoch(setup, optimisation, (step, metrics) => {
            clock.steps++;
            report({ phase: 'step', epoch, step, ...metrics });
          });
          if (trained === 'cancelled') return { status: 'cancelled', ...run() };
          const validated = await validate(model, validation, batchSize);
          history.loss.push(trained.loss);
          history.accuracy.push(trained.accuracy);
          history.valLoss.push(validated.loss);
          history.valAccuracy.push(validated.accuracy);
          const patienceRanOut = stopping.update(model, epoch, validated);
          stoppedEarly = patienceRanOut && nextPhase === undefined;
          if (nextPhase && (patienceRanOut || phaseEpoch === phase.epochs)) {
            clock.plannedEpochs = epoch + nextPhase.epochs;
          }
          const { loss: valLoss, accuracy: valAccuracy } = validated;
          report(
            { phase: 'epoch', epoch, step: stepsPerEpoch, ...trained, valLoss, valAccuracy },
            stoppedEarly,
          );
          if (patienceRanOut) break;
        }
      } finally {
        optimisation.optimizer.dispose();
      }
    }
    stopping.restoreBest(model);
    completed = true;
    return {
      status: 'completed',
      model,
      bestEpoch: stopping.bestEpoch,
      stoppedEarly,
      validationProbabilities: stopping.best.probabilities,
      ...run(),
    };
  } finally {
    disableBatchNormTraining();
    stopping.dispose();
    setup.classWeights.dispose();
    if (!completed) model.dispose();
  }
}
