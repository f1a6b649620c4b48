import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { ImageDecodeError, preprocessImage } from '../../src/ml/preprocess.ts';
import { assertRejectsNaming } from './assert-rejects-naming.ts';
import { gradientPng } from './synthetic-images.ts';

let workDir: string;
let gradient: Buffer;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-preprocess-'));
  gradient = await gradientPng(200, 100);
});

after(() => rm(workDir, { recursive: true, force: true }));

function pixel(values: Float32Array, width: number, channels: number, x: number, y: number): number[] {
  const offset = (y * width + x) * channels;
  return Array.from(values.subarray(offset, offset + channels));
}

test('an RGB input is height × width × 3, scaled to [0, 1], with the channels in place', async () => {
  const values = await preprocessImage(gradient, [20, 40, 3]);
  assert.equal(values.length, 20 * 40 * 3);
  assert.ok(values.every((value) => value >= 0 && value <= 1));
  const [left, right, bottom] = [
    pixel(values, 40, 3, 0, 0),
    pixel(values, 40, 3, 39, 0),
    pixel(values, 40, 3, 0, 19),
  ];
  assert.ok(left[0]! < 0.05 && right[0]! > 0.95, 'red rises left to right');
  assert.ok(left[1]! < 0.05 && bottom[1]! > 0.95, 'green rises top to bottom');
  assert.ok(Math.abs(left[2]! - 64 / 255) < 0.01, 'blue keeps its value');
});

test('a grayscale input has one channel: the luminance, not one of the colours', async () => {
  const gray = await preprocessImage(gradient, [20, 40, 1]);
  assert.equal(gray.length, 20 * 40);
  const [redCorner] = pixel(gray, 40, 1, 39, 0) as [number];
  const [greenCorner] = pixel(gray, 40, 1, 0, 19) as [number];
  assert.ok(redCorner > 0.2 && redCorner < 0.8, `full red reads as a mid gray, got ${redCorner}`);
  assert.ok(greenCorner > redCorner, 'green weighs more than red in luminance');
});

test('alpha is dropped, and a path reads the same pixels as the bytes', async () => {
  const file = path.join(workDir, 'alpha.png');
  await writeFile(file, await sharp(gradient).ensureAlpha(0.5).png().toBuffer());
  const fromFile = await preprocessImage(file, [10, 10, 3]);
  const opaque = await preprocessImage(gradient, [10, 10, 3]);
  assert.equal(fromFile.length, opaque.length);
  // Resizing with alpha premultiplies, which moves a value by a few levels at most.
  assert.ok(fromFile.every((value, index) => Math.abs(value - opaque[index]!) <= 5 / 255));
});

test('bytes that are not an image give an ImageDecodeError naming the file', async () => {
  const file = path.join(workDir, 'corrupt.png');
  await writeFile(file, 'this is not a PNG');
  await assertRejectsNaming(
    preprocessImage(file, [8, 8, 1]),
    ImageDecodeError,
    file,
    /unsupported image format/,
  );
});

test('a missing file gives an ImageDecodeError naming the file', async () => {
  const file = path.join(workDir, 'missing.png');
  await assertRejectsNaming(preprocessImage(file, [8, 8, 1]), ImageDecodeError, file, /missing/);
});

test('channel counts other than 1 and 3 are refused', async () => {
  await assert.rejects(preprocessImage(gradient, [8, 8, 4]), RangeError);
});
