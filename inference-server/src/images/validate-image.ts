import sharp from 'sharp';
import { InvalidImageError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

const SIGNATURES: Array<{ format: ImageFormat; bytes: number[] }> = [
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
];

function sniffFormat(buffer: Buffer): ImageFormat | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => buffer[i] === byte))?.format;
}

/**
 * Checks that the bytes are a whole PNG or JPEG within the pixel limit. The header is read first, so a
 * decompression bomb is refused before a single pixel is decoded; then the image is decoded once, so a
 * corrupt file is refused at the door rather than failing later in a worker.
 */
export async function validateImage(buffer: Buffer, maxPixels: number): Promise<ImageInfo> {
  const format = sniffFormat(buffer);
  if (!format) {
    const start = buffer.subarray(0, 8).toString('hex');
    throw new UnsupportedMediaTypeError(
      `the file is not a PNG or JPEG image (its first bytes are 0x${start || '(empty)'})`,
    );
  }
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(buffer, { limitInputPixels: false }).metadata());
  } catch (error) {
    throw new InvalidImageError(`the ${format.toUpperCase()} header cannot be read: ${(error as Error).message}`);
  }
  if (!width || !height) throw new InvalidImageError(`the ${format.toUpperCase()} header has no dimensions`);
  if (width * height > maxPixels) {
    throw new PayloadTooLargeError(
      `the image is ${width}×${height} = ${(width * height).toLocaleString('en')} pixels, over the limit of ` +
        `${maxPixels.toLocaleString('en')} (HYDRA_MAX_IMAGE_PIXELS)`,
    );
  }
  try {
    await sharp(buffer, { failOn: 'error', limitInputPixels: maxPixels }).resize(1, 1).raw().toBuffer();
  } catch (error) {
    throw new InvalidImageError(`the ${format.toUpperCase()} data is corrupt: ${(error as Error).message}`);
  }
  return { format, width, height };
}
