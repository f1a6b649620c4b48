import fs from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { InvalidInputError, PayloadTooLargeError, type SizeLimit } from '../errors.ts';

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

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

/** Folders and files an archiver adds beside the model (macOS's resource forks). */
function isArchiverExtra(entryName: string): boolean {
  return (
    entryName.endsWith('/') ||
    entryName.split('/').some((part) => part === '__MACOSX' || part.startsWith('._'))
  );
}

/**
 * Replaces each zip archive among `files` by the files in it, by their base names: a zipped model folder, as
 * `zip -r` or a download makes it. Entries are unpacked only while their declared sizes add up to at most the limit,
 * so an archive that would inflate beyond it is refused before anything is inflated.
 */
export function unpackZipArchives(files: ModelFile[], limit: SizeLimit): ModelFile[] {
  return files.flatMap((file) =>
    file.content.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)
      ? unzipModelFiles(file, limit)
      : [file],
  );
}

function unzipModelFiles(archive: ModelFile, limit: SizeLimit): ModelFile[] {
  let unpackedBytes = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive.content, {
      filter: (entry) => {
        if (isArchiverExtra(entry.name)) return false;
        unpackedBytes += entry.originalSize;
        if (unpackedBytes > limit.bytes) {
          throw new PayloadTooLargeError(
            `${archive.name} unpacks to more than the model limit of ${limit.bytes.toLocaleString('en')} bytes ` +
              `(${limit.setting})`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw new InvalidInputError(`${archive.name} is not a readable zip archive: ${(error as Error).message}`);
  }
  const files = Object.entries(entries).map(([name, content]) => ({
    name: path.basename(name),
    content: Buffer.from(content.buffer, content.byteOffset, content.byteLength),
  }));
  const names = files.map((file) => file.name);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) {
    throw new InvalidInputError(
      `${archive.name} holds more than one file named ${[...new Set(repeated)].join(', ')}: zip one model folder`,
    );
  }
  return files;
}
