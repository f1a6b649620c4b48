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
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomUUID()}.tmp`;
  try {
    await write(temporary);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return true;
}
