import type { Random } from '../simulator/random.ts';

/** How far training images are jittered. */
export interface AugmentationOptions {
  /** Largest shift, as a fraction of the height or width. */
  maxShift: number;
  /** Largest brightness change, as a fraction: values are scaled by a factor in [1 − b, 1 + b]. */
  maxBrightness: number;
}

/**
 * Small shifts (a plot's frame is not always drawn at the same pixel) and brightness changes (palettes and
 * rendering differ). No flips or rotations: the orientation of a plot carries physics (which sector, which end
 * of an axis), so a flipped plot is another plot.
 */
export const LIGHT_AUGMENTATION: AugmentationOptions = { maxShift: 0.04, maxBrightness: 0.1 };

/**
 * Writes `pixels` (height × width × channels, bytes) into `target` at `offset` as [0, 1] floats, shifted by a
 * random whole number of pixels (edges repeat: plot margins are flat) and scaled in brightness.
 */
export function augmentInto(
  target: Float32Array,
  offset: number,
  pixels: Uint8Array,
  [height, width, channels]: [number, number, number],
  random: Random,
  { maxShift, maxBrightness }: AugmentationOptions,
): void {
  const shiftRows = random.intBetween(-Math.round(maxShift * height), Math.round(maxShift * height));
  const shiftColumns = random.intBetween(-Math.round(maxShift * width), Math.round(maxShift * width));
  const scale = random.between(1 - maxBrightness, 1 + maxBrightness) / 255;
  for (let row = 0; row < height; row++) {
    const sourceRow = Math.min(height - 1, Math.max(0, row - shiftRows));
    for (let column = 0; column < width; column++) {
      const sourceColumn = Math.min(width - 1, Math.max(0, column - shiftColumns));
      const from = (sourceRow * width + sourceColumn) * channels;
      const to = offset + (row * width + column) * channels;
      for (let channel = 0; channel < channels; channel++) {
        target[to + channel] = Math.min(1, (pixels[from + channel] as number) * scale);
      }
    }
  }
}
