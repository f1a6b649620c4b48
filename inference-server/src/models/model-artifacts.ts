import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, type SizeLimit } from '../errors.ts';
import { checkShardSizes, MODEL_JSON, parseModelJson } from './model-manifest.ts';
import { unpackZipArchives } from './model-zip.ts';

export interface ModelFile {
  name: string;
  content: Buffer;
}

/**
 * Checks an uploaded TF.js layers model (model.json plus the weight files it names, of the sizes it gives) and
 * writes model.json and those files, only, into `targetDir`.
 */
export async function writeModelArtifacts(files: ModelFile[], targetDir: string): Promise<void> {
  const byName = new Map(files.map((file) => [path.basename(file.name), file.content]));
  const modelJson = byName.get(MODEL_JSON);
  if (!modelJson) throw new InvalidInputError(`the upload has no ${MODEL_JSON}`);
  const manifest = parseModelJson(modelJson);
  const missing = manifest.weightFiles.filter((name) => !byName.has(name));
  if (missing.length) {
    throw new InvalidInputError(
      `${MODEL_JSON} names weight files that were not uploaded: ${missing.join(', ')}`,
    );
  }
  checkShardSizes(manifest, (name) => byName.get(name)!.length);
  await fs.mkdir(targetDir, { recursive: true });
  for (const name of new Set([MODEL_JSON, ...manifest.weightFiles])) {
    await fs.writeFile(path.join(targetDir, name), byName.get(name)!);
  }
}

/** Reads model.json and every other file of a model folder, or a zip of one, as an upload would carry them. */
export async function readModelFolder(folderOrZip: string, limit: SizeLimit): Promise<ModelFile[]> {
  const cannotRead = (error: Error): never => {
    throw new InvalidInputError(`cannot read the model folder or zip ${folderOrZip}: ${error.message}`);
  };
  if ((await fs.stat(folderOrZip).catch(cannotRead)).isFile()) {
    const archive = { name: path.basename(folderOrZip), content: await fs.readFile(folderOrZip) };
    return unpackZipArchives([archive], limit);
  }
  const names = await fs.readdir(folderOrZip).catch(cannotRead);
  return Promise.all(
    names.map(async (name) => ({ name, content: await fs.readFile(path.join(folderOrZip, name)) })),
  );
}
