// A worker_threads entry started by InferencePool: it owns one TensorFlow.js backend and the models loaded on it.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { anomalyMap } from '../ml/anomaly/reconstruction.ts';
import { selectBackend } from '../ml/backend.ts';
import { gradCam } from '../ml/gradcam.ts';
import { loadModel } from '../ml/model-io.ts';
import { modelShape } from '../ml/model-shape.ts';
import { preprocessImage } from '../ml/preprocess.ts';
import { embeddingDistance, pixelEmbedding } from '../ml/reference/embedding.ts';
import { misfitOf, score } from '../ml/score.ts';
import { takeClaim } from './messages.ts';
import type {
  AnomalyMapResult,
  GradCamResult,
  ModelShape,
  ModelSpec,
  PredictImage,
  PredictOutcome,
  ReferenceRequest,
  WorkerReply,
  WorkerMessage,
  WorkerRequest,
  WorkerResponse,
} from './messages.ts';

if (parentPort === null) {
  throw new Error('worker.ts is a worker_threads entry: start it through InferencePool');
}
const port = parentPort;

const models = new Map<number, tf.LayersModel>();

async function modelFor(spec: ModelSpec): Promise<tf.LayersModel> {
  const cached = models.get(spec.modelVersionId);
  if (cached) return cached;
  const model = await loadModel(spec.artifactDir);
  try {
    const misfit = misfitOf(spec.kind, modelShape(model), spec);
    if (misfit !== undefined) {
      throw new Error(`Model version ${spec.modelVersionId} in ${spec.artifactDir} ${misfit}`);
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  models.set(spec.modelVersionId, model);
  return model;
}

/** The shape of the model in `artifactDir`, which is not kept loaded. */
async function inspect(artifactDir: string): Promise<ModelShape> {
  const model = await loadModel(artifactDir);
  try {
    return modelShape(model);
  } finally {
    model.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Preprocesses each image on its own, so one unreadable image fails alone; the readable ones run as one batch. */
async function predict(
  spec: ModelSpec,
  images: PredictImage[],
  anomalySpec?: ModelSpec,
  reference?: ReferenceRequest,
): Promise<PredictOutcome[]> {
  const model = await modelFor(spec);
  const decoded = await Promise.allSettled(
    images.map((image) => preprocessImage(image.path, spec.inputShape)),
  );
  const readable = images.filter((_, index) => decoded[index]?.status === 'fulfilled');
  const inputs = decoded.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const started = performance.now();
  const outputs = score(spec.kind, model, inputs, spec.inputShape);
  const inferenceMs = (performance.now() - started) / inputs.length;
  const anomaly = anomalySpec && (await scoreAnomalies(anomalySpec, readable, inputs, spec.inputShape));
  const distances = reference && (await measureDistances(reference, readable, inputs, spec.inputShape));
  let nextPrediction = 0;
  return images.map(({ imageId }, index): PredictOutcome => {
    const result = decoded[index];
    if (result?.status !== 'fulfilled') {
      return { imageId, ok: false, error: messageOf(result?.reason) };
    }
    const position = nextPrediction++;
    return {
      imageId,
      ok: true,
      kind: spec.kind,
      outputs: outputs[position] ?? [],
      inferenceMs,
      ...(anomaly && 'error' in anomaly && { anomalyError: anomaly.error }),
      ...(anomaly && 'outputs' in anomaly && { anomalyOutputs: anomaly.outputs[position] ?? [] }),
      ...(distances && 'error' in distances && { referenceError: distances.error }),
      ...(distances &&
        'distances' in distances &&
        distances.distances[position] !== undefined && { referenceDistance: distances.distances[position] }),
    };
  });
}

/**
 * The autoencoder's outputs for the images the classifier read, from the same decoded pixels when both take the same
 * input (no second decode); a failure is reported, never thrown, so the verdicts are stored all the same.
 */
async function scoreAnomalies(
  spec: ModelSpec,
  images: PredictImage[],
  classifierInputs: Float32Array[],
  classifierShape: [number, number, number],
): Promise<{ outputs: number[][] } | { error: string }> {
  try {
    const model = await modelFor(spec);
    const inputs = await inputsOf(spec.inputShape, images, classifierInputs, classifierShape);
    return { outputs: score(spec.kind, model, inputs, spec.inputShape) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** The images at `shape`: the classifier's decoded pixels when it takes the same input (no second decode). */
async function inputsOf(
  shape: [number, number, number],
  images: PredictImage[],
  classifierInputs: Float32Array[],
  classifierShape: [number, number, number],
): Promise<Float32Array[]> {
  return shape.join() === classifierShape.join()
    ? classifierInputs
    : Promise.all(images.map((image) => preprocessImage(image.path, shape)));
}

/** Reference embeddings, by encoder (or pixels), input shape and file: a plot type's reference rarely changes. */
const referenceEmbeddings = new Map<string, number[]>();
const REFERENCE_EMBEDDINGS_KEPT = 64;

/**
 * Each image's distance from the reference: between the Siamese encoder's embeddings, or else the pixel embeddings of
 * the classifier's input. A failure is reported, never thrown, so the verdicts are stored all the same.
 */
async function measureDistances(
  { imagePath, siamese }: ReferenceRequest,
  images: PredictImage[],
  classifierInputs: Float32Array[],
  classifierShape: [number, number, number],
): Promise<{ distances: number[] } | { error: string }> {
  try {
    const shape = siamese?.inputShape ?? classifierShape;
    const embed = siamese
      ? async (inputs: Float32Array[]) => score('siamese', await modelFor(siamese), inputs, shape)
      : async (inputs: Float32Array[]) => inputs.map((input) => pixelEmbedding(input, shape));
    const key = `${siamese?.modelVersionId ?? 'pixels'}|${shape.join()}|${imagePath}`;
    let reference = referenceEmbeddings.get(key);
    if (reference === undefined) {
      [reference] = await embed([await preprocessImage(imagePath, shape)]);
      if (referenceEmbeddings.size >= REFERENCE_EMBEDDINGS_KEPT) referenceEmbeddings.clear();
      referenceEmbeddings.set(key, reference!);
    }
    const embeddings = await embed(await inputsOf(shape, images, classifierInputs, classifierShape));
    return { distances: embeddings.map((embedding) => embeddingDistance(embedding, reference!)) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

async function mapAnomaly(spec: ModelSpec, imagePath: string): Promise<AnomalyMapResult> {
  const model = await modelFor(spec);
  const { map, score: anomalyScore } = anomalyMap(
    model,
    await preprocessImage(imagePath, spec.inputShape),
    spec.inputShape,
  );
  return { ...map, score: anomalyScore };
}

async function explain(spec: ModelSpec, imagePath: string, classIndex: number): Promise<GradCamResult> {
  const model = await modelFor(spec);
  const { width, height, values } = gradCam(
    model,
    await preprocessImage(imagePath, spec.inputShape),
    classIndex,
  );
  return { width, height, values: Array.from(values) };
}

async function answer(request: WorkerRequest): Promise<WorkerResponse | undefined> {
  switch (request.kind) {
    case 'init':
      return { kind: 'ready', backend: await selectBackend(request.backend) };
    case 'predict':
      return {
        kind: 'predicted',
        requestId: request.requestId,
        outcomes: await predict(request.model, request.images, request.anomaly, request.reference),
      };
    case 'anomaly-map':
      return {
        kind: 'anomaly-map',
        requestId: request.requestId,
        map: await mapAnomaly(request.model, request.imagePath),
      };
    case 'gradcam':
      return {
        kind: 'gradcam',
        requestId: request.requestId,
        map: await explain(request.model, request.imagePath, request.classIndex),
      };
    case 'inspect':
      return { kind: 'inspected', requestId: request.requestId, shape: await inspect(request.artifactDir) };
    case 'unload':
      models.get(request.modelVersionId)?.dispose();
      models.delete(request.modelVersionId);
      return undefined;
    case 'memory': {
      const { numTensors, numBytes } = tf.memory();
      // The wasm backend's module is not in its typings; its heap is the backend's linear memory.
      const wasm = (tf.backend() as { wasm?: { HEAPU8: Uint8Array } }).wasm;
      return {
        kind: 'memory',
        requestId: request.requestId,
        numTensors,
        numBytes,
        heapUsedBytes: getHeapStatistics().used_heap_size,
        wasmBytes: wasm?.HEAPU8.buffer.byteLength ?? 0,
        loadedModelVersionIds: [...models.keys()],
      };
    }
  }
}

function failureOf(request: WorkerRequest, error: unknown): WorkerResponse | undefined {
  if (request.kind === 'init') return { kind: 'init-failed', error: messageOf(error) };
  if ('requestId' in request) {
    return { kind: 'failed', requestId: request.requestId, error: messageOf(error) };
  }
  console.error(`Inference worker: '${request.kind}' failed: ${messageOf(error)}`);
  return undefined;
}

// One request at a time, in arrival order: an 'unload' never disposes a model that a 'predict' is still using.
let previous: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerMessage) => {
  previous = previous.then(async () => {
    // A request sent ahead that the pool withdrew, for a worker that became free, before this one got to it.
    if (request.claim && !takeClaim(request.claim, 'started')) return;
    const started = performance.now();
    let response: WorkerResponse | undefined;
    try {
      response = await answer(request);
    } catch (error) {
      response = failureOf(request, error);
    }
    const busy = { request: request.kind, ms: performance.now() - started };
    if (response) port.postMessage({ ...response, busy } satisfies WorkerReply);
  });
});
