import sharp from 'sharp';

/**
 * A distinct grayscale plot-like PNG: noise around `brightness` (0..1), different for every `seed`.
 * The brightness model (see model.ts) calls bright images Good and dark ones Bad.
 */
export function plotPng({
  brightness,
  seed,
  width = 160,
  height = 120,
}: {
  brightness: number;
  seed: number;
  width?: number;
  height?: number;
}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const noise = ((state >>> 0) / 0xffffffff - 0.5) * 0.2;
    pixels[i] = Math.max(0, Math.min(255, Math.round((brightness + noise) * 255)));
  }
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
