import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageStorage } from '../schemas/index.ts';

/** Files and bytes under `folder`, walked one directory at a time. */
async function diskUse(folder: string): Promise<{ files: number; bytes: number }> {
  const total = { files: 0, bytes: 0 };
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return total;
    throw error;
  }
  for (const entry of entries) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = await diskUse(child);
      total.files += inner.files;
      total.bytes += inner.bytes;
    } else if (entry.isFile()) {
      // A file removed since the listing (a refused upload taken back) no longer counts.
      const stat = await fs.stat(child).catch(() => null);
      if (stat) {
        total.files++;
        total.bytes += stat.size;
      }
    }
  }
  return total;
}

/**
 * The image store's disk use, measured in the background at most every `intervalMs`: reading it never waits for a
 * walk over a million files; it starts a new one when the last is older than the interval.
 */
export class ImageStorageGauge {
  private latest: ImageStorage | null = null;
  private measuredAtMs = -Infinity;
  private measuring: Promise<void> | undefined;

  constructor(
    private readonly folder: string,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The latest measurement (null before the first has finished); starts a new one when it is due. */
  current(now = Date.now()): ImageStorage | null {
    if (now - this.measuredAtMs >= this.intervalMs) this.measure();
    return this.latest;
  }

  /** Waits for the measurement under way, if any. */
  async settled(): Promise<void> {
    await this.measuring;
  }

  private measure(): void {
    this.measuring ??= (async () => {
      const started = Date.now();
      // Counted as taken from the start: a failed or slow walk is not retried on every request.
      this.measuredAtMs = started;
      try {
        const { files, bytes } = await diskUse(this.folder);
        this.latest = { imageBytes: bytes, images: files, measuredAt: new Date(started).toISOString() };
      } catch (error) {
        this.onError(error);
      }
    })().finally(() => (this.measuring = undefined));
  }
}
