import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `target` unless it exists, for files whose content never changes once made (content-addressed images,
 * thumbnails, explanations): the file is written aside, then renamed into place, so no reader sees half of it,
 * and a failed write leaves nothing. Resolves to whether this call made the file.
 */
export async function createFileOnce(
  target: string,
  write: (temporary: string) => Promise<void>,
): Promise<boolean> {
  try {
    await fs.access(target);
    return false;
  } catch {
    // Not there yet.
  }
  const temporary = `${target}.${randomUUID()}.tmp`;
  try {
    await writeCreatingFolder(temporary, write);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return true;
}

/**
 * Most files go to a folder that exists (ingest writes one per image), so the folder is made only after a write
 * failed for want of it: a missing file or folder, or (for writers that wrap their errors, as sharp's do) a
 * folder found missing.
 */
async function writeCreatingFolder(file: string, write: (file: string) => Promise<void>): Promise<void> {
  try {
    await write(file);
  } catch (error) {
    const folder = path.dirname(file);
    const missing =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (await fs.access(folder).then(
        () => false,
        () => true,
      ));
    if (!missing) throw error;
    await fs.mkdir(folder, { recursive: true });
    await write(file);
  }
}
