import zlib from 'node:zlib';
import sharp from 'sharp';
import { InvalidImageError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const JPEG_END = Buffer.from([0xff, 0xd9]);

function sniffFormat(buffer: Buffer): ImageFormat | undefined {
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buffer.subarray(0, 3).equals(JPEG_START)) return 'jpeg';
  return undefined;
}

/** Walks the PNG chunks and checks each CRC: truncation and damaged bytes show without decoding a pixel. */
function checkPngStructure(buffer: Buffer): void {
  let offset = 8;
  let first = true;
  while (offset + 12 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > buffer.length) throw new InvalidImageError(`the PNG is truncated inside its ${type} chunk`);
    if (first && type !== 'IHDR') throw new InvalidImageError('the PNG does not start with an IHDR chunk');
    const crc = buffer.readUInt32BE(end - 4);
    if (zlib.crc32(buffer.subarray(offset + 4, end - 4)) !== crc) {
      throw new InvalidImageError(
        `the PNG is corrupt: the CRC of its ${type} chunk at byte ${offset} does not match`,
      );
    }
    if (type === 'IEND') return;
    first = false;
    offset = end;
  }
  throw new InvalidImageError('the PNG is truncated: it has no IEND chunk');
}

function checkJpegStructure(buffer: Buffer): void {
  // Encoders may pad after the end-of-image marker; look for it near the end.
  if (buffer.subarray(-64).indexOf(JPEG_END) < 0) {
    throw new InvalidImageError('the JPEG is truncated: it has no end-of-image marker');
  }
}

/**
 * Checks that the bytes are a whole PNG or JPEG within the pixel limit, without decoding the pixels (ingest
 * must keep up with bursts): the format from its signature, integrity from the PNG chunk CRCs or the JPEG
 * end marker, and the size from the header, so a decompression bomb is refused before it is decoded. Damage
 * that only decoding can show fails the image later in a worker, with the reason on its catalog row.
 */
export async function validateImage(buffer: Buffer, maxPixels: number): Promise<ImageInfo> {
  const format = sniffFormat(buffer);
  if (!format) {
    const start = buffer.subarray(0, 8).toString('hex');
    throw new UnsupportedMediaTypeError(
      `the file is not a PNG or JPEG image (its first bytes are 0x${start || '(empty)'})`,
    );
  }
  if (format === 'png') checkPngStructure(buffer);
  else checkJpegStructure(buffer);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(buffer, { limitInputPixels: false }).metadata());
  } catch (error) {
    throw new InvalidImageError(
      `the ${format.toUpperCase()} header cannot be read: ${(error as Error).message}`,
    );
  }
  if (!width || !height) throw new InvalidImageError(`the ${format.toUpperCase()} header has no dimensions`);
  if (width * height > maxPixels) {
    throw new PayloadTooLargeError(
      `the image is ${width}×${height} = ${(width * height).toLocaleString('en')} pixels, over the limit of ` +
        `${maxPixels.toLocaleString('en')} (HYDRA_MAX_IMAGE_PIXELS)`,
    );
  }
  return { format, width, height };
}
