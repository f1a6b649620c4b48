import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { InvalidImageError } from '../errors.ts';
import { createFileOnce } from './create-file-once.ts';

export interface StoredFile {
  sha256: string;
  /** Relative to the store's root, so the catalog survives moving the data folder. */
  path: string;
  /** Whether this put wrote the file (false: the same bytes were stored before). */
  created: boolean;
}

/** Image files on disk, addressed by the sha256 of their content: the same bytes are stored once. */
export class ImageStore {
  constructor(readonly root: string) {}

  static sha256(buffer: Buffer): string {
    return createHash('sha256').update(buffer).digest('hex');
  }

  async put(buffer: Buffer, extension: string): Promise<StoredFile> {
    const sha256 = ImageStore.sha256(buffer);
    const relative = path.join('images', sha256.slice(0, 2), `${sha256}.${extension}`);
    const created = await createFileOnce(this.resolve(relative), (temporary) =>
      fs.writeFile(temporary, buffer),
    );
    return { sha256, path: relative, created };
  }

  /** Takes back a file that `put` created for an image the catalog then refused. */
  async remove(relative: string): Promise<void> {
    await fs.rm(this.resolve(relative), { force: true });
  }

  resolve(relative: string): string {
    return path.resolve(this.root, relative);
  }

  /**
   * A WebP thumbnail of the given width, made on first request and kept on disk. Ingest checks only an image's
   * structure, so one that cannot be decoded is found here: a 422, as its classification fails too.
   */
  async thumbnail(relative: string, sha256: string, width: number): Promise<string> {
    const target = this.resolve(path.join('thumbnails', sha256.slice(0, 2), `${sha256}-${width}.webp`));
    await createFileOnce(target, async (temporary) => {
      try {
        await sharp(this.resolve(relative))
          .resize({ width, withoutEnlargement: true })
          .webp({ quality: 80 })
          .toFile(temporary);
      } catch (error) {
        throw new InvalidImageError(`the image cannot be decoded: ${(error as Error).message}`);
      }
    });
    return target;
  }
}
