// The reference distance's ML core on simulator plots: pairs, the pixel embedding, a Siamese encoder trained on
// labeled pairs (its loss falls, it puts a fault farther from a good reference than good plots, it saves and reloads
// to the same embeddings), its calibration, and embedding leaks no tensor.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/ml/backend.ts';
import { loadModel, saveModel } from '../../src/ml/model-io.ts';
import { preprocessImage } from '../../src/ml/preprocess.ts';
import { embeddingDistance, pixelEmbedding, siameseEmbeddings } from '../../src/ml/reference/embedding.ts';
import { distancesFromMedoid } from '../../src/ml/reference/run-siamese-training.ts';
import { drawPairs, trainSiamese } from '../../src/ml/reference/train-siamese.ts';
import { Random } from '../../src/simulator/random.ts';
import { writePlots } from './anomaly-kit.ts';

const INPUT: [number, number, number] = [32, 32, 3];
const SEED = 17;
const KIND = 'FCAL_occupancy';

let workDir: string;

before(async () => {
  await selectBackend('wasm');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-reference-'));
});

after(() => rm(workDir, { recursive: true, force: true }));

test('pairs: half of the same class (never an image with itself), half of another', () => {
  const byClass = [[0, 1, 2], [3], [4, 5]];
  const classOf = (index: number) => byClass.findIndex((members) => members.includes(index));
  const { anchors, partners, same } = drawPairs(byClass, 200, Random.derive(SEED, 'pairs'));
  assert.equal(same.filter((flag) => flag === 1).length, 100);
  anchors.forEach((anchor, index) => {
    const partner = partners[index]!;
    assert.equal(classOf(anchor) === classOf(partner), same[index] === 1, `pair ${anchor}, ${partner}`);
    assert.notEqual(anchor, partner);
  });
  // The class of one plot still anchors pairs of other classes.
  assert.ok(anchors.includes(3));
});

test('the pixel embedding: one value per cell of a 16×16 grid, whose distance is the RMS of the cell means', () => {
  const black = new Float32Array(64 * 64 * 3);
  const white = new Float32Array(64 * 64 * 3).fill(1);
  const a = pixelEmbedding(black, [64, 64, 3]);
  assert.equal(a.length, 256);
  assert.ok(Math.abs(embeddingDistance(a, pixelEmbedding(white, [64, 64, 3])) - 1) < 1e-9);
  // The same grey at another size and channel count is the same embedding.
  const grey = pixelEmbedding(new Float32Array(32 * 32).fill(0.5), [32, 32, 1]);
  assert.ok(
    embeddingDistance(grey, pixelEmbedding(new Float32Array(64 * 64 * 3).fill(0.5), [64, 64, 3])) < 1e-9,
  );
  assert.throws(() => embeddingDistance([1], [1, 2]), /cannot be compared/);
});

test('the threshold is calibrated on distances from the medoid, which is left out', () => {
  const distances = distancesFromMedoid([[0], [1], [2], [10]]);
  assert.deepEqual(distances, [1, 1, 9]);
});

test('a Siamese encoder trained on labeled pairs puts a fault farther from a good reference than good plots', async () => {
  const good = await writePlots(workDir, { kind: KIND, seed: SEED, firstRun: 1, count: 24 });
  const empty = await writePlots(workDir, {
    kind: KIND,
    seed: SEED,
    firstRun: 500,
    count: 8,
    mode: 'no-data',
  });
  await assert.rejects(
    trainSiamese({
      inputShape: INPUT,
      images: good.map((file) => ({ path: file, label: 0 })),
      parameters: { epochs: 1, batchSize: 8 },
      seed: SEED,
    }),
    /at least two classes/,
  );
  const epochs: number[] = [];
  const trained = await trainSiamese({
    inputShape: INPUT,
    images: [
      ...good.map((file) => ({ path: file, label: 0 })),
      ...empty.map((file) => ({ path: file, label: 1 })),
    ],
    parameters: { epochs: 4, batchSize: 8 },
    seed: SEED,
    onEpoch: (epoch) => epochs.push(epoch),
  });
  assert.equal(trained.status, 'completed');
  if (trained.status !== 'completed') return;
  const { model } = trained;
  try {
    assert.deepEqual(epochs, [1, 2, 3, 4]);
    assert.ok(trained.loss.at(-1)! < trained.loss[0]!, `loss ${trained.loss.join(', ')}`);

    const heldOut = await writePlots(workDir, { kind: KIND, seed: SEED, firstRun: 1000, count: 5 });
    const fault = await writePlots(workDir, {
      kind: KIND,
      seed: SEED,
      firstRun: 2000,
      count: 2,
      mode: 'no-data',
    });
    const inputs = await Promise.all([...heldOut, ...fault].map((file) => preprocessImage(file, INPUT)));
    const tensors = tf.memory().numTensors;
    const embeddings = siameseEmbeddings(model, inputs, INPUT);
    for (let round = 0; round < 20; round++) siameseEmbeddings(model, inputs, INPUT);
    assert.equal(tf.memory().numTensors, tensors, 'embedding leaves no tensor behind');
    for (const embedding of embeddings) {
      assert.ok(Math.abs(Math.hypot(...embedding) - 1) < 1e-4, 'embeddings have unit length');
    }
    const [reference, ...others] = embeddings;
    const distances = others.map((embedding) => embeddingDistance(embedding, reference!));
    const goodFarthest = Math.max(...distances.slice(0, 4));
    for (const faultDistance of distances.slice(4)) {
      assert.ok(faultDistance > goodFarthest, `fault ${faultDistance} vs good ≤ ${goodFarthest}`);
    }

    const dir = path.join(workDir, 'siamese');
    await saveModel(model, dir);
    const reloaded = await loadModel(dir);
    const again = siameseEmbeddings(reloaded, inputs, INPUT);
    reloaded.dispose();
    again.forEach((embedding, index) =>
      embedding.forEach((value, j) => assert.ok(Math.abs(value - embeddings[index]![j]!) < 1e-5)),
    );
  } finally {
    model.dispose();
  }
});
