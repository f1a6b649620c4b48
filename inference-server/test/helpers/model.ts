import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../../src/ml/model-io.ts';

export const BRIGHTNESS_CLASSES = ['Good', 'Bad'];

/**
 * A tiny conv model with set weights: p(Good) rises with the image's mean brightness, crossing 0.5 at 0.5
 * (falls, when inverted).
 * Built with tf.layers and saved in the TF.js layers format, as a user's converted model would be.
 */
export async function saveBrightnessModel({ inputSize = 32, inverted = false } = {}): Promise<string> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [inputSize, inputSize, 1], filters: 1, kernelSize: 1, name: 'conv' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'head' }),
    ],
  });
  model.getLayer('conv').setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
  // Inverted, bright images are Bad: a second model that disagrees with the first on every image.
  const sign = inverted ? -1 : 1;
  model
    .getLayer('head')
    .setWeights([tf.tensor2d([[10 * sign, -10 * sign]]), tf.tensor1d([-5 * sign, 5 * sign])]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-model-'));
  await saveModel(model, dir);
  model.dispose();
  return dir;
}

/** A saved model folder's files by name, as zip entries (`zipSync` from fflate makes the archive). */
export async function modelFolderEntries(folder: string): Promise<Record<string, Uint8Array>> {
  const names = await fs.readdir(folder);
  const contents = await Promise.all(names.map((name) => fs.readFile(path.join(folder, name))));
  return Object.fromEntries(names.map((name, index) => [name, new Uint8Array(contents[index]!)]));
}
