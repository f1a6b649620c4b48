// Zipped model folders. yauzl reads the central directory and inflates through Node's zlib streams (off the event
// loop); what an entry inflates to is counted and CRC-checked here, since the archive's own claims come from a user.
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import { DomainError, InvalidInputError, PayloadTooLargeError, type SizeLimit } from '../errors.ts';
import type { ModelFile } from './model-artifacts.ts';
import { MODEL_JSON, parseModelJson } from './model-manifest.ts';

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

/**
 * Replaces each zip archive among `files` by the model files in it, by their base names: model.json and the weight
 * files its manifest names, from a zipped model folder as `zip -r` or a download makes it. Other entries are not
 * inflated. Inflating stops once the archive has given more than the limit.
 */
export async function unpackZipArchives(files: ModelFile[], limit: SizeLimit): Promise<ModelFile[]> {
  const unpacked = await Promise.all(
    files.map((file) =>
      file.content.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)
        ? unzipModelFiles(file, limit)
        : [file],
    ),
  );
  return unpacked.flat();
}

/** Folders and files an archiver adds beside the model (macOS's resource forks). */
function isArchiverExtra(entryName: string): boolean {
  return (
    entryName.endsWith('/') ||
    entryName.split('/').some((part) => part === '__MACOSX' || part.startsWith('._'))
  );
}

async function unzipModelFiles(archive: ModelFile, limit: SizeLimit): Promise<ModelFile[]> {
  const unreadable = (error: unknown, entry?: Entry) =>
    error instanceof DomainError
      ? error
      : new InvalidInputError(
          `${archive.name} is not a readable zip archive: ${entry ? `${entry.fileName}: ` : ''}${(error as Error).message}`,
        );
  let zip: ZipFile;
  let entries: Map<string, Entry>;
  try {
    zip = await fromBufferPromise(archive.content);
    entries = await entriesByBaseName(zip, archive.name);
  } catch (error) {
    throw unreadable(error);
  }
  const modelJsonEntry = entries.get(MODEL_JSON);
  if (!modelJsonEntry) {
    throw new InvalidInputError(
      `${archive.name} holds no ${MODEL_JSON}: zip the folder of a TF.js layers model`,
    );
  }
  const budget = { archive: archive.name, limit, inflated: 0 };
  const inflate = (entry: Entry) =>
    inflateEntry(zip, entry, budget).catch((error) => {
      throw unreadable(error, entry);
    });
  const modelJson = await inflate(modelJsonEntry);
  const files = [{ name: MODEL_JSON, content: modelJson }];
  for (const name of new Set(parseModelJson(modelJson).weightFiles)) {
    const entry = entries.get(name);
    if (entry) files.push({ name, content: await inflate(entry) });
  }
  return files;
}

/** The archive's file entries by base name; two of one name (two model folders in one zip) are refused. */
async function entriesByBaseName(zip: ZipFile, archiveName: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const repeated = new Set<string>();
  for await (const entry of zip.eachEntry()) {
    if (isArchiverExtra(entry.fileName)) continue;
    const name = path.posix.basename(entry.fileName);
    if (entries.has(name)) repeated.add(name);
    entries.set(name, entry);
  }
  if (repeated.size > 0) {
    throw new InvalidInputError(
      `${archiveName} holds more than one file named ${[...repeated].join(', ')}: zip one model folder`,
    );
  }
  return entries;
}

/**
 * Inflates one entry, counting its bytes against what is left of the limit and checking its CRC-32. yauzl itself
 * refuses an entry that inflates to more or fewer bytes than the central directory says.
 */
async function inflateEntry(
  zip: ZipFile,
  entry: Entry,
  budget: { archive: string; limit: SizeLimit; inflated: number },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let checksum = 0;
  const stream = (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>;
  for await (const chunk of stream) {
    budget.inflated += chunk.length;
    if (budget.inflated > budget.limit.bytes) {
      throw new PayloadTooLargeError(
        `${budget.archive} unpacks to more than the model limit of ${budget.limit.bytes.toLocaleString('en')} ` +
          `bytes (${budget.limit.setting})`,
      );
    }
    checksum = crc32(chunk, checksum);
    chunks.push(chunk);
  }
  if (checksum !== entry.crc32) {
    throw new InvalidInputError(
      `${budget.archive} is not a readable zip archive: ${entry.fileName} fails its CRC-32 check (it is damaged)`,
    );
  }
  return Buffer.concat(chunks);
}
