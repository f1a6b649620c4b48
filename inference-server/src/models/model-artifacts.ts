import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../errors.ts';

export interface ModelFile {
  name: string;
  content: Buffer;
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: Array<{ paths?: unknown }>;
}

/** The weight file names that a TF.js layers model.json lists. */
function weightPaths(modelJson: ModelJson): string[] {
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new InvalidInputError(
      'model.json is not a TF.js layers model: it needs modelTopology and weightsManifest',
    );
  }
  return modelJson.weightsManifest.flatMap((group) => {
    if (!Array.isArray(group.paths))
      throw new InvalidInputError('model.json: a weightsManifest entry has no paths');
    return group.paths.map(String);
  });
}

/** The [height, width, channels] of the model's first input, from its Keras topology. */
export function inputShapeOf(modelJson: unknown): [number, number, number] | undefined {
  const queue: unknown[] = [modelJson];
  while (queue.length) {
    const node = queue.shift();
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const shape = record.batch_input_shape ?? record.batchInputShape ?? record.batch_shape;
      if (Array.isArray(shape) && shape.length === 4 && shape.slice(1).every((n) => Number.isInteger(n))) {
        return shape.slice(1) as [number, number, number];
      }
      queue.push(...Object.values(record));
    }
  }
  return undefined;
}

/**
 * Checks an uploaded TF.js layers model (model.json plus the weight files it names) and writes it into
 * `targetDir`. Returns the parsed model.json.
 */
export async function writeModelArtifacts(files: ModelFile[], targetDir: string): Promise<unknown> {
  const byName = new Map(files.map((file) => [path.basename(file.name), file]));
  const modelFile = byName.get('model.json');
  if (!modelFile) throw new InvalidInputError('the upload has no model.json');
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(modelFile.content.toString('utf8')) as ModelJson;
  } catch (error) {
    throw new InvalidInputError(`model.json is not valid JSON: ${(error as Error).message}`);
  }
  const missing = weightPaths(modelJson).filter((name) => !byName.has(path.basename(name)));
  if (missing.length) {
    throw new InvalidInputError(
      `model.json names weight files that were not uploaded: ${missing.join(', ')}`,
    );
  }
  await fs.mkdir(targetDir, { recursive: true });
  for (const [name, file] of byName) await fs.writeFile(path.join(targetDir, name), file.content);
  return modelJson;
}

/** Reads model.json and every other file of a model folder, as an upload would carry them. */
export async function readModelFolder(dir: string): Promise<ModelFile[]> {
  const names = await fs.readdir(dir).catch((error: Error) => {
    throw new InvalidInputError(`cannot read the model folder ${dir}: ${error.message}`);
  });
  return Promise.all(names.map(async (name) => ({ name, content: await fs.readFile(path.join(dir, name)) })));
}
