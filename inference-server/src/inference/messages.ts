// Plain, typed messages between the server and its workers (inference and training). Nothing here holds a tensor.

import type { ArchitectureName } from '../ml/architectures/index.ts';
import type { Evaluation } from '../ml/evaluate.ts';
import type { BackendName, ModelKind } from '../enums.ts';
import type { ModelShape } from '../ml/model-shape.ts';
import type { HyperParameters, TrainingHistory, TrainingProgress } from '../ml/train.ts';
import type { TrainingSplit } from '../ml/training-set.ts';

export { MODEL_KINDS } from '../enums.ts';
export type {
  ArchitectureName,
  Evaluation,
  HyperParameters,
  ModelKind,
  ModelShape,
  TrainingHistory,
  TrainingProgress,
  TrainingSplit,
};

export type { BackendName };

/** `auto` tries tfjs-node-gpu, then tfjs-node, then wasm. `cpu` (pure JS) is only used when asked for. */
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** Why the earlier candidates were passed over, e.g. "tensorflow-gpu: Cannot find module ...". */
  skipped: string[];
}

/** A registered model version, as the worker needs it to load and run the model. */
export interface ModelSpec {
  modelVersionId: number;
  /** How the model scores images, and so what its outputs mean. */
  kind: ModelKind;
  /** Folder holding model.json and its weight files (the layout tfjs-node's file:// writes). */
  artifactDir: string;
  /** [height, width, channels]; channels 1 = grayscale, 3 = RGB. */
  inputShape: [number, number, number];
  classes: string[];
}

/** The plot type's reference, to measure a batch's distances from: by a Siamese encoder's embeddings, or pixels'. */
export interface ReferenceRequest {
  imagePath: string;
  /** Absent: the plain pixel distance. */
  siamese?: ModelSpec;
}

export interface PredictImage {
  imageId: number;
  path: string;
}

/**
 * `outputs` are the model's raw scores of the image, as its kind gives them: a classifier's class probabilities.
 * With an autoencoder in the request: its raw outputs (`anomalyOutputs`), or why it could not score the batch
 * (`anomalyError`); with a reference, the image's distance from it (`referenceDistance`), or why it could not be
 * measured (`referenceError`). The verdict never waits on their failure.
 */
export type PredictOutcome =
  | {
      imageId: number;
      ok: true;
      kind: ModelKind;
      outputs: number[];
      inferenceMs: number;
      anomalyOutputs?: number[];
      anomalyError?: string;
      referenceDistance?: number;
      referenceError?: string;
    }
  | { imageId: number; ok: false; error: string };

/** An autoencoder's per-pixel error (over each pixel's usual error), row-major, and the image's anomaly score. */
export interface AnomalyMapResult {
  width: number;
  height: number;
  values: number[];
  score: number;
}

/** A Grad-CAM map: height × width cells of the model's last 4-D activation, row-major, normalised to [0, 1]. */
export interface GradCamResult {
  width: number;
  height: number;
  values: number[];
}

export type WorkerRequest =
  | { kind: 'init'; backend: BackendPreference }
  /**
   * `anomaly`: the plot type's autoencoder, run on the same decoded images after the classifier; `reference`: the
   * plot type's reference, whose distance from each image is measured too.
   */
  | {
      kind: 'predict';
      requestId: number;
      model: ModelSpec;
      images: PredictImage[];
      anomaly?: ModelSpec;
      reference?: ReferenceRequest;
    }
  | { kind: 'anomaly-map'; requestId: number; model: ModelSpec; imagePath: string }
  | { kind: 'gradcam'; requestId: number; model: ModelSpec; imagePath: string; classIndex: number }
  | { kind: 'unload'; modelVersionId: number }
  /** Loads a model folder, reads its shape and disposes it: a check before the folder is registered. */
  | { kind: 'inspect'; requestId: number; artifactDir: string }
  | { kind: 'memory'; requestId: number };

export type WorkerResponse =
  | { kind: 'ready'; backend: BackendInfo }
  | { kind: 'init-failed'; error: string }
  | { kind: 'predicted'; requestId: number; outcomes: PredictOutcome[] }
  | { kind: 'gradcam'; requestId: number; map: GradCamResult }
  | { kind: 'anomaly-map'; requestId: number; map: AnomalyMapResult }
  | { kind: 'inspected'; requestId: number; shape: ModelShape }
  | ({ kind: 'memory'; requestId: number } & WorkerMemoryReport)
  | { kind: 'failed'; requestId: number; error: string };

/**
 * A request as the pool posts it. One sent to a worker while it runs another carries a `claim`, an Int32 shared by
 * both: whoever swaps it from waiting first owns the request, the worker to start it, or the pool to withdraw it
 * for a worker that has become free (the worker then skips it).
 */
export type WorkerMessage = WorkerRequest & { claim?: Int32Array };

/** A new claim on a request sent ahead: waiting. */
export const aheadClaim = (): Int32Array =>
  new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** Takes the request for the worker (`started`) or back for the pool (`withdrawn`); false if the other side has. */
export function takeClaim(claim: Int32Array, as: 'started' | 'withdrawn'): boolean {
  return Atomics.compareExchange(claim, 0, 0, as === 'started' ? 1 : 2) === 0;
}

/** What a worker posts: its answer, and how long its thread worked on the request (the pool's busy time). */
export type WorkerReply = WorkerResponse & { busy: { request: WorkerRequest['kind']; ms: number } };

/** A training job: what to train, on which images, and where to save the model. */
export interface TrainingRequest {
  architecture: ArchitectureName;
  /** [height, width, channels]; channels 1 = grayscale, 3 = RGB. */
  inputShape: [number, number, number];
  classes: string[];
  /**
   * Image files with the index of their class in `classes`: train to learn from, validation for early stopping
   * and thresholds, test for the reported metrics.
   */
  split: TrainingSplit;
  hyperParameters: HyperParameters;
  /** Seeds the initial weights, the batch order and the augmentation. */
  seed: number;
  /** Where model.json and weights.bin are written (created if missing). */
  outputDir: string;
  /** 'auto' by default. */
  backend?: BackendPreference;
  /** A saved model (e.g. converted ImageNet weights) whose layers, matched by name and shape, start the training. */
  baseWeightsDir?: string;
}

export interface TrainingTimings {
  totalMs: number;
  /** Training and per-epoch validation. */
  trainMs: number;
  /** trainMs per training step, validation included. */
  msPerStep: number;
  /** Test predictions, metrics and thresholds. */
  evaluateMs: number;
  saveMs: number;
}

/** What every job reports, finished or cancelled. */
interface TrainingRun {
  backend: BackendInfo;
  history: TrainingHistory;
  epochsRun: number;
  /** Training steps (batches) run. */
  steps: number;
}

export interface CompletedTraining extends TrainingRun {
  status: 'completed';
  /** Holds model.json and weights.bin. */
  modelDir: string;
  /** 1-based epoch of lowest validation loss, whose weights were saved. */
  bestEpoch: number;
  stoppedEarly: boolean;
  evaluation: { test: Evaluation; validation: Evaluation };
  /** Each validation and test image's class probabilities, in the order of the request's split. */
  probabilities: { validation: number[][]; test: number[][] };
  /** Per class, chosen on the validation split by maximising F1; none for a class without validation images. */
  thresholds: Record<string, number>;
  timings: TrainingTimings;
}

/** A cancelled job saves nothing. */
export interface CancelledTraining extends TrainingRun {
  status: 'cancelled';
  timings: Pick<TrainingTimings, 'totalMs'>;
}

export type TrainingResult = CompletedTraining | CancelledTraining;

export type TrainingThreadRequest = { kind: 'train'; request: TrainingRequest } | { kind: 'cancel' };

export type TrainingThreadResponse =
  | { kind: 'progress'; progress: TrainingProgress }
  | { kind: 'finished'; result: TrainingResult }
  | { kind: 'failed'; error: string };

/** A worker's memory: its tensors, its V8 heap, the wasm backend's linear memory (which only ever grows), its models. */
export interface WorkerMemoryReport {
  numTensors: number;
  numBytes: number;
  heapUsedBytes: number;
  /** 0 on other backends. */
  wasmBytes: number;
  /** The model versions this worker holds. */
  loadedModelVersionIds: number[];
}
