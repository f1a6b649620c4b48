import sharp from 'sharp';

/** An image that sharp cannot read or decode (missing file, not an image, truncated data). */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/**
 * Decodes an image (file path or encoded bytes) into the model's input pixels: resized to width×height
 * (stretched, not cropped: every part of a plot matters), grayscale for 1 channel or RGB without alpha for 3, one
 * byte per value, laid out height × width × channels. Training keeps images in this form: a quarter of the floats.
 */
export async function decodeImage(
  input: string | Buffer,
  [height, width, channels]: [number, number, number],
): Promise<Uint8Array> {
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(`Models take 1 (grayscale) or 3 (RGB) channels, not ${channels}`);
  }
  const source = typeof input === 'string' ? input : `a ${input.length}-byte buffer`;
  try {
    return await sharp(input)
      .resize(width, height, { fit: 'fill' })
      .removeAlpha()
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch (error) {
    throw new ImageDecodeError(`Cannot decode image ${source}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Scales decoded pixels to the model's [0, 1] input. */
export function pixelsToInput(pixels: Uint8Array): Float32Array {
  return Float32Array.from(pixels, (value) => value / 255);
}

/** Decodes an image into the model's input: `decodeImage`'s pixels scaled to [0, 1]. */
export async function preprocessImage(
  input: string | Buffer,
  shape: [number, number, number],
): Promise<Float32Array> {
  return pixelsToInput(await decodeImage(input, shape));
}
