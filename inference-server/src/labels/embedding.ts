import sharp from 'sharp';

// What a plot shows, as numbers to compare within a set of plots of one plot type. Each image is shrunk to 96×72 RGB,
// and the per-pixel median of the set is taken from it: plots of one plot type share their frame, axes, text and
// usual content, so what is left is how this plot differs from the usual one. The difference is summed up in 8×8
// blocks: each block's mean difference per colour channel, a share of its largest one (a hot channel is a dot that
// a block's mean all but loses), and the largest block differences of the image wherever they are (so that a dot's
// strength counts, not only its place). On the simulator's CDC occupancy plots this took the clusters' majority-label
// purity from 0.875 (grayscale 24² thumbnails) to 0.99 (npm run bench:clusters).

const WIDTH = 96;
const HEIGHT = 72;
const CHANNELS = 3;
const BLOCK = 8;
/** The weight of a block's largest difference beside its mean one. */
const BLOCK_MAX_WEIGHT = 0.3;
/** How many of the image's largest block differences are features of their own. */
const TOP_BLOCKS = 4;
/** Thumbnails kept in memory (about 20 kB each): clustering a plot type again decodes only its new images. */
const CACHED_THUMBNAILS = 5000;

const thumbnails = new Map<string, Uint8Array>();

/** The image as WIDTH×HEIGHT RGB bytes; image files are content-addressed, so a path's thumbnail never changes. */
export async function thumbnail(file: string): Promise<Uint8Array> {
  const cached = thumbnails.get(file);
  if (cached) {
    // Most recently used last: the first entry is the one to drop.
    thumbnails.delete(file);
    thumbnails.set(file, cached);
    return cached;
  }
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb =
    info.channels === CHANNELS
      ? new Uint8Array(data)
      : Uint8Array.from({ length: WIDTH * HEIGHT * CHANNELS }, (_, i) => data[Math.floor(i / CHANNELS)]!);
  thumbnails.set(file, rgb);
  if (thumbnails.size > CACHED_THUMBNAILS) thumbnails.delete(thumbnails.keys().next().value!);
  return rgb;
}

/** The median of each byte over the set (a count per value: linear in the set's size). */
function medianImage(images: readonly Uint8Array[]): Float64Array {
  const median = new Float64Array(WIDTH * HEIGHT * CHANNELS);
  const counts = new Uint32Array(256);
  const half = Math.floor(images.length / 2);
  for (let d = 0; d < median.length; d++) {
    counts.fill(0);
    for (const image of images) counts[image[d]!]!++;
    let value = 0;
    for (let seen = counts[0]!; seen <= half; seen += counts[++value]!);
    median[d] = value;
  }
  return median;
}

function features(image: Uint8Array, median: Float64Array): Float64Array {
  const blocks = (WIDTH / BLOCK) * (HEIGHT / BLOCK) * CHANNELS;
  const out = new Float64Array(2 * blocks + TOP_BLOCKS);
  const maxima = new Float64Array(blocks);
  let block = 0;
  for (let top = 0; top < HEIGHT; top += BLOCK) {
    for (let left = 0; left < WIDTH; left += BLOCK) {
      for (let channel = 0; channel < CHANNELS; channel++, block++) {
        let sum = 0;
        let largest = 0;
        for (let y = top; y < top + BLOCK; y++) {
          for (let x = left; x < left + BLOCK; x++) {
            const at = (y * WIDTH + x) * CHANNELS + channel;
            const difference = (image[at]! - median[at]!) / 255;
            sum += difference;
            largest = Math.max(largest, Math.abs(difference));
          }
        }
        out[block] = sum / (BLOCK * BLOCK);
        out[blocks + block] = BLOCK_MAX_WEIGHT * largest;
        maxima[block] = largest;
      }
    }
  }
  out.set(maxima.sort().reverse().subarray(0, TOP_BLOCKS), 2 * blocks);
  return out;
}

/** One embedding per thumbnail, each relative to the whole set (its median image): compare them only with each other. */
export function embedThumbnails(images: readonly Uint8Array[]): Float64Array[] {
  const median = medianImage(images);
  return images.map((image) => features(image, median));
}

/** Root-mean-square difference per feature: 0 for the same picture, comparable between sets of any size. */
export function embeddingDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum / a.length);
}
