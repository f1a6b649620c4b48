import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { loadBaseWeights, loadModel, ModelArtifactError, saveModel } from '../../src/ml/model-io.ts';
import { assertRejectsNaming } from './assert-rejects-naming.ts';

const inputShape: [number, number, number] = [32, 32, 1];
let workDir: string;
let savedDir: string;
let original: tf.LayersModel;
let images: tf.Tensor4D;

before(async () => {
  await selectBackend('wasm');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-model-io-'));
  savedDir = path.join(workDir, 'saved');
  original = createSmallCnn({ inputShape, numClasses: 3, seed: 42 });
  images = tf.randomUniform([4, ...inputShape], 0, 1, 'float32', 5);
  await saveModel(original, savedDir);
});

after(async () => {
  original.dispose();
  images.dispose();
  await rm(workDir, { recursive: true, force: true });
});

function predictions(model: tf.LayersModel): number[][] {
  return tf.tidy(() => (model.predict(images) as tf.Tensor).arraySync() as number[][]);
}

function readModelJson(dir: string): Promise<tf.io.ModelJSON> {
  return readFile(path.join(dir, 'model.json'), 'utf8').then((text) => JSON.parse(text) as tf.io.ModelJSON);
}

/** A copy of the saved model folder, named `name`. */
async function copyOfSaved(name: string): Promise<string> {
  const dir = path.join(workDir, name);
  await cp(savedDir, dir, { recursive: true });
  return dir;
}

test('saveModel writes the tfjs-node file:// layout: model.json and one weights.bin', async () => {
  assert.deepEqual((await readdir(savedDir)).sort(), ['model.json', 'weights.bin']);
  const modelJson = await readModelJson(savedDir);
  assert.equal(modelJson.format, 'layers-model');
  assert.deepEqual(Object.keys(modelJson).slice(0, 2), ['modelTopology', 'weightsManifest']);
  assert.deepEqual(modelJson.weightsManifest[0]?.paths, ['weights.bin']);
  const float32Bytes = original.getWeights().reduce((sum, weight) => sum + weight.size * 4, 0);
  assert.equal((await readFile(path.join(savedDir, 'weights.bin'))).length, float32Bytes);
});

test('a saved and reloaded model predicts exactly what the original did', async () => {
  const reloaded = await loadModel(savedDir);
  assert.deepEqual(predictions(reloaded), predictions(original));
  reloaded.dispose();
});

test('weights split over several shard files load in manifest order', async () => {
  const dir = await copyOfSaved('sharded');
  const weights = await readFile(path.join(dir, 'weights.bin'));
  const middle = Math.floor(weights.length / 2);
  await writeFile(path.join(dir, 'group1-shard1of2.bin'), weights.subarray(0, middle));
  await writeFile(path.join(dir, 'group1-shard2of2.bin'), weights.subarray(middle));
  await rm(path.join(dir, 'weights.bin'));
  const modelJson = await readModelJson(dir);
  const [group] = modelJson.weightsManifest;
  assert.ok(group);
  group.paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));

  const reloaded = await loadModel(dir);
  assert.deepEqual(predictions(reloaded), predictions(original));
  reloaded.dispose();
});

test('a model.json that is not JSON gives a ModelArtifactError naming it', async () => {
  const dir = await copyOfSaved('broken-json');
  await writeFile(path.join(dir, 'model.json'), '{"modelTopology": {');
  await assertRejectsNaming(
    loadModel(dir),
    ModelArtifactError,
    path.join(dir, 'model.json'),
    /not valid JSON/,
  );
});

test('a folder without model.json gives a ModelArtifactError naming the file', async () => {
  const dir = path.join(workDir, 'empty');
  await mkdir(dir);
  await assertRejectsNaming(loadModel(dir), ModelArtifactError, path.join(dir, 'model.json'), /ENOENT/);
});

test('a missing weight file gives a ModelArtifactError naming it', async () => {
  const dir = await copyOfSaved('missing-weights');
  await rm(path.join(dir, 'weights.bin'));
  await assertRejectsNaming(loadModel(dir), ModelArtifactError, path.join(dir, 'weights.bin'), /ENOENT/);
});

test('a truncated weight file gives a ModelArtifactError naming it, and leaks no tensors', async () => {
  const dir = await copyOfSaved('truncated-weights');
  const weights = await readFile(path.join(dir, 'weights.bin'));
  await writeFile(path.join(dir, 'weights.bin'), weights.subarray(0, weights.length - 64));
  const tensorsBefore = tf.memory().numTensors;
  const sizes = new RegExp(`hold ${weights.length - 64} bytes.*describes ${weights.length}`);
  await assertRejectsNaming(loadModel(dir), ModelArtifactError, path.join(dir, 'weights.bin'), sizes);
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('a weight path that leaves the model folder is refused', async () => {
  const dir = await copyOfSaved('escaping-path');
  const modelJson = await readModelJson(dir);
  const [group] = modelJson.weightsManifest;
  assert.ok(group);
  group.paths = ['../saved/weights.bin'];
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  await assertRejectsNaming(loadModel(dir), ModelArtifactError, '../saved/weights.bin', /outside/);
});

test('loadBaseWeights copies the layers that match by name and shape, and keeps the others', async () => {
  // Another seed and other classes: the convolutions match the saved model, the classifier does not.
  const model = createSmallCnn({ inputShape, numClasses: 2, seed: 7 });
  const ownClassifier = model.getLayer('predictions').getWeights()[0]?.dataSync();
  const tensorsBefore = tf.memory().numTensors;
  const report = await loadBaseWeights(model, savedDir);
  assert.deepEqual(report, { copied: ['conv1', 'conv2', 'conv3', 'where'], kept: ['predictions'] });
  for (const name of report.copied) {
    assert.deepEqual(
      model
        .getLayer(name)
        .getWeights()
        .map((weight) => weight.dataSync()),
      original
        .getLayer(name)
        .getWeights()
        .map((weight) => weight.dataSync()),
    );
  }
  assert.deepEqual(model.getLayer('predictions').getWeights()[0]?.dataSync(), ownClassifier);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  model.dispose();
});

test('loadBaseWeights refuses a model with no matching layer', async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ name: 'other', inputShape: [3], units: 2 })] });
  await assertRejectsNaming(
    loadBaseWeights(model, savedDir),
    ModelArtifactError,
    savedDir,
    /No layer .* matches/,
  );
  model.dispose();
});
