import zlib from 'node:zlib';
import { InvalidImageError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

export type ImageFormat = 'png' | 'jpeg';

interface Dimensions {
  width: number;
  height: number;
}

export interface ImageInfo extends Dimensions {
  format: ImageFormat;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const JPEG_END = Buffer.from([0xff, 0xd9]);

function sniffFormat(buffer: Buffer): ImageFormat | undefined {
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buffer.subarray(0, 3).equals(JPEG_START)) return 'jpeg';
  return undefined;
}

/**
 * Walks the PNG chunks and checks each CRC: truncation and damaged bytes show without decoding a pixel. The size
 * comes from the IHDR chunk, which a PNG starts with.
 */
function pngStructure(buffer: Buffer): Dimensions {
  let offset = 8;
  let dimensions: Dimensions | undefined;
  while (offset + 12 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > buffer.length) throw new InvalidImageError(`the PNG is truncated inside its ${type} chunk`);
    if (!dimensions && type !== 'IHDR')
      throw new InvalidImageError('the PNG does not start with an IHDR chunk');
    const crc = buffer.readUInt32BE(end - 4);
    if (zlib.crc32(buffer.subarray(offset + 4, end - 4)) !== crc) {
      throw new InvalidImageError(
        `the PNG is corrupt: the CRC of its ${type} chunk at byte ${offset} does not match`,
      );
    }
    if (type === 'IEND') return dimensions!;
    if (!dimensions) {
      if (length < 13)
        throw new InvalidImageError('the PNG header cannot be read: its IHDR chunk is too short');
      dimensions = { width: buffer.readUInt32BE(offset + 8), height: buffer.readUInt32BE(offset + 12) };
    }
    offset = end;
  }
  throw new InvalidImageError('the PNG is truncated: it has no IEND chunk');
}

/** JPEG markers that stand alone, without a length: TEM, RST0-7, SOI. */
const STANDALONE_MARKERS = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);

/** Start-of-frame markers (SOF0-15 but DHT, JPG and DAC, which share the range): they hold the image's size. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Checks the end-of-image marker and reads the size from the frame header, walking the segments before it. */
function jpegStructure(buffer: Buffer): Dimensions {
  // Encoders may pad after the end-of-image marker; look for it near the end.
  if (buffer.subarray(-64).indexOf(JPEG_END) < 0) {
    throw new InvalidImageError('the JPEG is truncated: it has no end-of-image marker');
  }
  let offset = 2;
  while (offset + 4 <= buffer.length) {
    if (buffer[offset] !== 0xff) {
      throw new InvalidImageError(`the JPEG header cannot be read: no segment marker at byte ${offset}`);
    }
    const marker = buffer[offset + 1]!;
    if (marker === 0xff || STANDALONE_MARKERS.has(marker)) {
      // 0xff is fill before a marker.
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = buffer.readUInt16BE(offset + 2);
    if (isStartOfFrame(marker)) {
      if (length < 7 || offset + 9 > buffer.length) {
        throw new InvalidImageError('the JPEG header cannot be read: its frame header is too short');
      }
      return { height: buffer.readUInt16BE(offset + 5), width: buffer.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  throw new InvalidImageError('the JPEG header cannot be read: it has no frame header before its image data');
}

/**
 * Checks that the bytes are a whole PNG or JPEG within the pixel limit, without decoding the pixels (ingest
 * must keep up with bursts): the format from its signature, integrity from the PNG chunk CRCs or the JPEG
 * end marker, and the size from the header, so a decompression bomb is refused before it is decoded. Damage
 * that only decoding can show fails the image later in a worker, with the reason on its catalog row.
 */
export function validateImage(buffer: Buffer, maxPixels: number): ImageInfo {
  const format = sniffFormat(buffer);
  if (!format) {
    const start = buffer.subarray(0, 8).toString('hex');
    throw new UnsupportedMediaTypeError(
      `the file is not a PNG or JPEG image (its first bytes are 0x${start || '(empty)'})`,
    );
  }
  const { width, height } = format === 'png' ? pngStructure(buffer) : jpegStructure(buffer);
  if (!width || !height) throw new InvalidImageError(`the ${format.toUpperCase()} header has no dimensions`);
  if (width * height > maxPixels) {
    throw new PayloadTooLargeError(
      `the image is ${width}×${height} = ${(width * height).toLocaleString('en')} pixels, over the limit of ` +
        `${maxPixels.toLocaleString('en')} (HYDRA_MAX_IMAGE_PIXELS)`,
    );
  }
  return { format, width, height };
}
