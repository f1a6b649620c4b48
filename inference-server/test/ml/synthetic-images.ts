import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/**
 * An RGB PNG whose red channel rises left to right and green channel top to bottom, with blue fixed at
 * `blue`: resizing keeps it monotonic, and its grayscale differs from every colour channel.
 */
export function gradientPng(width: number, height: number, blue = 64): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = Math.round((255 * x) / (width - 1));
      pixels[offset + 1] = Math.round((255 * y) / (height - 1));
      pixels[offset + 2] = blue;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Writes `count` distinct gradient PNGs into `dir` and returns their paths. */
export async function writeGradientPngs(
  dir: string,
  count: number,
  width = 160,
  height = 120,
): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const file = path.join(dir, `gradient-${index}.png`);
      await writeFile(file, await gradientPng(width, height, (index * 37) % 256));
      return file;
    }),
  );
}
