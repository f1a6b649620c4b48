// The model.json of an upload, checked before anything is written: it comes from a user, so its weight file names
// and sizes are not trusted.
import type * as tf from '@tensorflow/tfjs';
import { InvalidInputError } from '../errors.ts';
import { manifestBytes } from '../ml/model-io.ts';

export const MODEL_JSON = 'model.json';

/** One entry of a weights manifest: the files of one shard group and the weights stored in them, in order. */
export interface WeightGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

export interface ModelManifest {
  groups: WeightGroup[];
  /** Every weight file the manifest names, in order. */
  weightFiles: string[];
}

/** Parses an uploaded model.json and checks that it is a TF.js layers model whose weight files are plain names. */
export function parseModelJson(content: Buffer): ModelManifest {
  let modelJson: { modelTopology?: unknown; weightsManifest?: unknown };
  try {
    modelJson = JSON.parse(content.toString('utf8')) as typeof modelJson;
  } catch (error) {
    throw new InvalidInputError(`${MODEL_JSON} is not valid JSON: ${(error as Error).message}`);
  }
  if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new InvalidInputError(
      `${MODEL_JSON} is not a TF.js layers model: it needs modelTopology and weightsManifest`,
    );
  }
  const groups = (modelJson.weightsManifest as unknown[]).map(weightGroup);
  return { groups, weightFiles: groups.flatMap((group) => group.paths) };
}

function weightGroup(entry: unknown, index: number): WeightGroup {
  const { paths, weights } = (entry ?? {}) as { paths?: unknown; weights?: unknown };
  if (!Array.isArray(paths)) {
    throw new InvalidInputError(`${MODEL_JSON}: a weightsManifest entry has no paths`);
  }
  if (!Array.isArray(weights) || !weights.every(isWeightSpec)) {
    throw new InvalidInputError(
      `${MODEL_JSON}: weightsManifest entry ${index + 1} needs weights, each with a name, a shape and a dtype`,
    );
  }
  return { paths: paths.map(checkWeightFileName), weights };
}

function isWeightSpec(spec: unknown): spec is tf.io.WeightsManifestEntry {
  const { name, shape, dtype } = (spec ?? {}) as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    typeof dtype === 'string' &&
    Array.isArray(shape) &&
    shape.every((size) => Number.isInteger(size) && (size as number) >= 0)
  );
}

/** A weight file must be a file of the model folder itself: anything else could read or overwrite other files. */
function checkWeightFileName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || /[/\\\0]/.test(name) || name.includes('..')) {
    throw new InvalidInputError(
      `${MODEL_JSON} names the weight file ${JSON.stringify(name)}: a weight file must be a plain file name ` +
        'in the model folder (no /, \\ or ..)',
    );
  }
  if (name === MODEL_JSON) {
    throw new InvalidInputError(`${MODEL_JSON} names itself as a weight file: name its weight files`);
  }
  return name;
}

/**
 * Checks that each group's files hold exactly the bytes its weights take (by shape and dtype, or quantized dtype),
 * so a short or padded shard is refused with its name rather than misread.
 */
export function checkShardSizes(manifest: ModelManifest, bytesOf: (fileName: string) => number): void {
  for (const group of manifest.groups) {
    const described = manifestBytes(group.weights);
    // String weights are length-prefixed: only loading the model sizes them.
    if (described === undefined) continue;
    const held = group.paths.reduce((sum, name) => sum + bytesOf(name), 0);
    if (held !== described) {
      throw new InvalidInputError(
        `the weight files ${group.paths.join(', ')} hold ${held} bytes, but the ${group.weights.length} weights ` +
          `${MODEL_JSON} lists for them take ${described}`,
      );
    }
  }
}
