// Plain, typed messages between the server and the inference workers. Nothing here holds a tensor.

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

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
  /** Folder holding model.json and its weight files (the layout tfjs-node's file:// writes). */
  artifactDir: string;
  /** [height, width, channels]; channels 1 = grayscale, 3 = RGB. */
  inputShape: [number, number, number];
  classes: string[];
}

export interface PredictImage {
  imageId: number;
  path: string;
}

export type PredictOutcome =
  | { imageId: number; ok: true; probabilities: number[]; inferenceMs: number }
  | { imageId: number; ok: false; error: string };

export type WorkerRequest =
  | { kind: 'init'; backend: BackendPreference }
  | { kind: 'predict'; requestId: number; model: ModelSpec; images: PredictImage[] }
  | { kind: 'unload'; modelVersionId: number }
  | { kind: 'memory'; requestId: number };

export type WorkerResponse =
  | { kind: 'ready'; backend: BackendInfo }
  | { kind: 'init-failed'; error: string }
  | { kind: 'predicted'; requestId: number; outcomes: PredictOutcome[] }
  | { kind: 'memory'; requestId: number; numTensors: number; numBytes: number }
  | { kind: 'failed'; requestId: number; error: string };
