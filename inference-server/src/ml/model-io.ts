import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** A model folder that cannot be loaded: model.json missing or malformed, or weight files missing or not as listed. */
export class ModelArtifactError extends Error {
  override name = 'ModelArtifactError';
}

/** Writes `dir/model.json` and `dir/weights.bin`, the layout that tfjs-node's `file://` handler writes. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('saveModel writes JSON topologies only (a layers model), not binary graphs');
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig != null && { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.signature != null && { signature: artifacts.signature }),
        ...(artifacts.userDefinedMetadata != null && { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson), 'utf8');
      await writeFile(
        path.join(dir, WEIGHTS_BIN),
        new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

async function readModelJson(modelJsonPath: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await readFile(modelJsonPath, 'utf8');
  } catch (error) {
    throw new ModelArtifactError(`Cannot read ${modelJsonPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelArtifactError(`${modelJsonPath} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new ModelArtifactError(`${modelJsonPath} has no modelTopology: it is not a TensorFlow.js model`);
  }
  return parsed as tf.io.ModelJSON;
}

/** Bytes per stored value, by dtype or quantized dtype (tfjs-core's own map is not exported). */
const BYTES_PER_VALUE: Partial<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The bytes a manifest's weights take, or undefined when it has strings (length-prefixed, sized only on read). */
export function manifestBytes(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const bytesPerValue = BYTES_PER_VALUE[spec.quantization?.dtype ?? spec.dtype];
    if (bytesPerValue === undefined) return undefined;
    total += spec.shape.reduce((values, dimension) => values * dimension, 1) * bytesPerValue;
  }
  return total;
}

/** Reads every shard listed in the manifest, in order, from the folder that holds model.json. */
async function readWeights(
  dir: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer[]]> {
  const root = path.resolve(dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shardPaths: string[] = [];
  const shards: ArrayBuffer[] = [];
  for (const group of manifest) {
    for (const shardName of group.paths) {
      const shardPath = path.resolve(root, shardName);
      // model.json may come from a user: its shard paths must not reach outside the model folder.
      const relativePath = path.relative(root, shardPath);
      if (relativePath.split(path.sep)[0] === '..' || path.isAbsolute(relativePath)) {
        throw new ModelArtifactError(
          `Weight file ${shardName} in ${path.join(dir, MODEL_JSON)} is outside ${dir}`,
        );
      }
      try {
        const bytes = await readFile(shardPath);
        shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      } catch (error) {
        throw new ModelArtifactError(`Cannot read weight file ${shardPath}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      shardPaths.push(shardPath);
    }
    specs.push(...group.weights);
  }
  // Checked here because tfjs would fail on a short file only after creating part of the model's tensors.
  const expectedBytes = manifestBytes(specs);
  const readBytes = shards.reduce((sum, shard) => sum + shard.byteLength, 0);
  if (expectedBytes !== undefined && readBytes !== expectedBytes) {
    throw new ModelArtifactError(
      `Weight files ${shardPaths.join(', ')} hold ${readBytes} bytes, but the manifest in ` +
        `${path.join(dir, MODEL_JSON)} describes ${expectedBytes}`,
    );
  }
  return [specs, shards];
}

/** Loads a layers model from `dir/model.json` and the weight files its manifest lists, with `fs` only. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const modelJsonPath = path.join(dir, MODEL_JSON);
  const modelJson = await readModelJson(modelJsonPath);
  const handler: tf.io.IOHandler = {
    load: () => tf.io.getModelArtifactsForJSON(modelJson, (manifest) => readWeights(dir, manifest)),
  };
  try {
    return await tf.loadLayersModel(handler);
  } catch (error) {
    if (error instanceof ModelArtifactError) throw error;
    throw new ModelArtifactError(`Cannot build the model in ${modelJsonPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export interface BaseWeightsReport {
  /** Layers whose weights were copied from the base model. */
  copied: string[];
  /** Layers with weights that the base model lacks, or has in other shapes (e.g. a classifier of other classes). */
  kept: string[];
}

/**
 * Copies weights into `model` from the model saved in `dir` (e.g. ImageNet weights converted from Keras), layer by
 * layer, by name; a layer whose weights differ in number or shape keeps its own. Fails if no layer matches.
 */
export async function loadBaseWeights(model: tf.LayersModel, dir: string): Promise<BaseWeightsReport> {
  const base = await loadModel(dir);
  const report: BaseWeightsReport = { copied: [], kept: [] };
  try {
    for (const layer of model.layers) {
      const own = layer.weights;
      if (own.length === 0) continue;
      const source = base.layers.find((candidate) => candidate.name === layer.name)?.weights ?? [];
      const sameShapes =
        source.length === own.length &&
        source.every((weight, index) => weight.shape.join() === own[index]?.shape.join());
      if (sameShapes) {
        layer.setWeights(source.map((weight) => weight.read()));
        report.copied.push(layer.name);
      } else {
        report.kept.push(layer.name);
      }
    }
  } finally {
    base.dispose();
  }
  if (report.copied.length === 0) {
    throw new ModelArtifactError(
      `No layer of ${path.join(dir, MODEL_JSON)} matches a layer of ${model.name} by name and shape`,
    );
  }
  return report;
}
