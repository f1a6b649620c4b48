import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type {
  ModelSpec,
  PredictImage,
  PredictOutcome,
  WorkerMemoryReport,
} from '../../src/inference/messages.ts';
import { InferencePool } from '../../src/inference/pool.ts';
import { createSmallCnn } from '../../src/ml/architectures/small-cnn.ts';
import { selectBackend } from '../../src/ml/backend.ts';
import { gradCam } from '../../src/ml/gradcam.ts';
import type { GradCamMap } from '../../src/ml/gradcam.ts';
import { saveModel } from '../../src/ml/model-io.ts';
import { predictBatch } from '../../src/ml/predict.ts';
import { preprocessImage } from '../../src/ml/preprocess.ts';
import { skipWhereNativeBackendInstalled } from '../ml/native-backends.ts';
import { writeGradientPngs } from '../ml/synthetic-images.ts';
import { CRASH_SUFFIX } from './fixtures/crash-trigger.ts';
import { STALL_MS, STALL_SUFFIX } from './fixtures/stall-trigger.ts';

const inputShape: [number, number, number] = [64, 64, 1];
let workDir: string;
let model: ModelSpec;
let imagePaths: string[];
/** What the saved model gives for each of imagePaths, computed on this thread. */
let expected: number[][];
/** The saved model's Grad-CAM of class 1 on imagePaths[0], computed on this thread. */
let expectedMap: GradCamMap;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-pool-'));
  await selectBackend('wasm');
  const network = createSmallCnn({ inputShape, numClasses: 3, seed: 21 });
  await saveModel(network, path.join(workDir, 'model'));
  model = {
    modelVersionId: 1,
    kind: 'classifier',
    artifactDir: path.join(workDir, 'model'),
    inputShape,
    classes: ['Good', 'Bad', 'NoData'],
  };
  imagePaths = await writeGradientPngs(workDir, 16);
  const inputs = await Promise.all(imagePaths.map((file) => preprocessImage(file, inputShape)));
  expected = predictBatch(network, inputs, inputShape);
  expectedMap = gradCam(network, inputs[0] as Float32Array, 1);
  network.dispose();
});

after(() => rm(workDir, { recursive: true, force: true }));

function imagesOf(paths: string[], firstId = 1): PredictImage[] {
  return paths.map((file, index) => ({ imageId: firstId + index, path: file }));
}

function assertPredicted(outcome: PredictOutcome | undefined, probabilities: number[] | undefined): void {
  assert.ok(outcome?.ok, `expected a prediction, got ${JSON.stringify(outcome)}`);
  assert.ok(probabilities);
  assert.equal(outcome.kind, 'classifier');
  assert.equal(outcome.outputs.length, probabilities.length);
  outcome.outputs.forEach((p, index) => assert.ok(Math.abs(p - probabilities[index]!) < 1e-5));
  assert.ok(outcome.inferenceMs > 0);
}

describe('a pool of two wasm workers', { timeout: 60_000 }, () => {
  let pool: InferencePool;

  before(async () => {
    pool = await InferencePool.start({ size: 2, backend: 'wasm' });
  });
  after(() => pool.close());

  test('starts both workers on the requested backend', () => {
    assert.deepEqual(pool.backend, { name: 'wasm', skipped: [] });
    assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
  });

  test('runs batches on both workers, queues a third, and predicts what the model predicts here', async () => {
    const batches = [imagePaths.slice(0, 6), imagePaths.slice(6, 12), imagePaths.slice(12)];
    const pending = batches.map((paths, index) => pool.predict(model, imagesOf(paths, index * 6 + 1)));
    assert.deepEqual(pool.stats(), { size: 2, busy: 2, queued: 1, backend: 'wasm' });
    const outcomes = (await Promise.all(pending)).flat();
    assert.deepEqual(
      outcomes.map((outcome) => outcome.imageId),
      imagePaths.map((_, index) => index + 1),
    );
    outcomes.forEach((outcome, index) => assertPredicted(outcome, expected[index]));
    assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
  });

  test('forty one-image batches at once all come back, each sent ahead behind a running one', async () => {
    const batches = Array.from({ length: 40 }, (_, index) => imagesOf([imagePaths[index % 16]!], index + 1));
    const outcomes = (await Promise.all(batches.map((batch) => pool.predict(model, batch)))).flat();
    outcomes.forEach((outcome, index) => assertPredicted(outcome, expected[index % 16]));
    assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
  });

  test('a corrupt file and a missing file fail alone; the rest of the batch is predicted', async () => {
    const corrupt = path.join(workDir, 'corrupt.png');
    await writeFile(corrupt, Buffer.from('these bytes are not an image'));
    const missing = path.join(workDir, 'missing.png');
    const outcomes = await pool.predict(model, imagesOf([imagePaths[0]!, corrupt, missing, imagePaths[1]!]));
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.imageId, outcome.ok]),
      [
        [1, true],
        [2, false],
        [3, false],
        [4, true],
      ],
    );
    assertPredicted(outcomes[0], expected[0]);
    assertPredicted(outcomes[3], expected[1]);
    const [, corruptOutcome, missingOutcome] = outcomes;
    assert.ok(corruptOutcome && !corruptOutcome.ok && missingOutcome && !missingOutcome.ok);
    assert.match(corruptOutcome.error, new RegExp(`${corrupt}.*unsupported image format`));
    assert.match(missingOutcome.error, new RegExp(`${missing}.*missing`));
  });

  test('worker memory stays flat over many predictions, and unload frees the model', async () => {
    const batch = imagesOf(imagePaths);
    await Promise.all([pool.predict(model, batch), pool.predict(model, batch)]);
    const before = await pool.memory();
    assert.equal(before.length, 2);
    assert.ok(before.every((memory) => memory.numTensors > 0));
    for (let round = 0; round < 20; round++) {
      await Promise.all([pool.predict(model, batch), pool.predict(model, batch)]);
    }
    // Tensors and the wasm memory are exact; a V8 heap moves with the garbage collector, so it gets a margin.
    const tensorsAndWasm = (memories: WorkerMemoryReport[]) =>
      memories.map(({ numTensors, numBytes, wasmBytes }) => ({ numTensors, numBytes, wasmBytes }));
    const afterRounds = await pool.memory();
    assert.deepEqual(tensorsAndWasm(afterRounds), tensorsAndWasm(before));
    afterRounds.forEach((memory, index) =>
      assert.ok(memory.heapUsedBytes < before[index]!.heapUsedBytes + 32 * 1024 ** 2, 'worker heap'),
    );

    pool.unload(model.modelVersionId);
    const unloaded = await pool.memory();
    unloaded.forEach((memory, index) => assert.ok(memory.numTensors < before[index]!.numTensors));
    assertPredicted((await pool.predict(model, imagesOf(imagePaths.slice(0, 1))))[0], expected[0]);
  });

  test('gradcam runs on a worker and gives the map computed here', async () => {
    assert.ok(
      expectedMap.values.some((value) => value > 0),
      'the map compared is not all zero',
    );
    const map = await pool.gradcam(model, imagePaths[0] as string, 1);
    assert.deepEqual([map.width, map.height], [expectedMap.width, expectedMap.height]);
    assert.ok(Array.isArray(map.values));
    map.values.forEach((value, index) =>
      assert.ok(Math.abs(value - (expectedMap.values[index] as number)) < 1e-5),
    );
    assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
  });

  test('gradcam rejects a class out of range or an unreadable image with the reason', async () => {
    await assert.rejects(
      pool.gradcam(model, imagePaths[0] as string, 3),
      /Class index 3 is not one of the 3/,
    );
    const missing = path.join(workDir, 'missing.png');
    await assert.rejects(pool.gradcam(model, missing, 0), new RegExp(`Cannot decode image ${missing}`));
    assert.equal(
      (await pool.gradcam(model, imagePaths[1] as string, 0)).values.length,
      expectedMap.values.length,
    );
  });

  test('a model that cannot be loaded rejects the request with the reason, and the worker carries on', async () => {
    const broken: ModelSpec = {
      ...model,
      modelVersionId: 99,
      artifactDir: path.join(workDir, 'no-such-model'),
    };
    await assert.rejects(pool.predict(broken, imagesOf(imagePaths.slice(0, 1))), /no-such-model.model\.json/);
    const wrongShape: ModelSpec = { ...model, modelVersionId: 98, inputShape: [32, 32, 1] };
    await assert.rejects(
      pool.predict(wrongShape, imagesOf(imagePaths.slice(0, 1))),
      /takes input \[64, 64, 1\]/,
    );
    assert.equal((await pool.predict(model, imagesOf(imagePaths.slice(0, 2)))).length, 2);
    assert.equal(pool.stats().size, 2);
  });

  test('a model whose outputs are not one per class of its version fails the batch with the counts', async () => {
    const twoClasses: ModelSpec = { ...model, modelVersionId: 97, classes: ['Good', 'Bad'] };
    await assert.rejects(
      pool.predict(twoClasses, imagesOf(imagePaths.slice(0, 2))),
      /Model version 97 in .* gives 3 outputs, but it is registered with 2 classes/,
    );
  });

  test('inspect loads a model folder, gives its input shape and output units, and keeps nothing', async () => {
    const batch = imagesOf(imagePaths.slice(0, 1));
    await Promise.all([pool.predict(model, batch), pool.predict(model, batch)]); // both workers' one-off tensors
    const before = await pool.memory();
    assert.deepEqual(await pool.inspect(model.artifactDir), { inputShape: [64, 64, 1], outputUnits: 3 });
    assert.deepEqual(
      (await pool.memory()).map((memory) => memory.numTensors),
      before.map((memory) => memory.numTensors),
    );
    await assert.rejects(pool.inspect(path.join(workDir, 'no-such-model')), /no-such-model.model\.json/);
    assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
  });
});

test('a worker that dies rejects its request, and is replaced', { timeout: 30_000 }, async () => {
  const pool = await InferencePool.start({
    size: 1,
    backend: 'wasm',
    workerScript: new URL('./fixtures/crashing-worker.ts', import.meta.url),
  });
  try {
    const crashing = path.join(workDir, `image${CRASH_SUFFIX}`);
    await assert.rejects(pool.predict(model, imagesOf([crashing])), /Inference worker 1 exited with code 3/);
    const outcomes = await pool.predict(model, imagesOf(imagePaths.slice(0, 1)));
    assertPredicted(outcomes[0], expected[0]);
    assert.deepEqual(pool.stats(), { size: 1, busy: 0, queued: 0, backend: 'wasm' });
  } finally {
    await pool.close();
  }
});

test(
  'a burst sent ahead to a worker stuck on a long request runs on the worker that frees up first',
  { timeout: 60_000 },
  async () => {
    const pool = await InferencePool.start({
      size: 2,
      backend: 'wasm',
      workerScript: new URL('./fixtures/stalling-worker.ts', import.meta.url),
    });
    try {
      const stalling = path.join(workDir, `image${STALL_SUFFIX}`);
      await copyFile(imagePaths[0]!, stalling);
      const finished: string[] = [];
      const track = (name: string, pending: Promise<PredictOutcome[]>) =>
        pending.then((outcomes) => {
          finished.push(name);
          return outcomes;
        });
      // Worker 1 is stuck for STALL_MS on the long request; a burst of 16 comes as two batches of 8: the first
      // goes to worker 2, the second ahead of time to worker 1 (both run a live request).
      const started = performance.now();
      const long = track('long', pool.predict(model, imagesOf([stalling], 100)));
      const burst = [imagePaths.slice(0, 8), imagePaths.slice(8)].map((paths, index) =>
        track(`burst ${index + 1}`, pool.predict(model, imagesOf(paths, index * 8 + 1))),
      );
      assert.deepEqual(pool.stats(), { size: 2, busy: 2, queued: 1, backend: 'wasm' });
      const outcomes = (await Promise.all(burst)).flat();
      const burstMs = performance.now() - started;
      outcomes.forEach((outcome, index) => assertPredicted(outcome, expected[index]));
      await long;
      // Worker 2 took the second batch back from worker 1 as soon as it was free: the burst did not wait for it.
      assert.deepEqual(finished, ['burst 1', 'burst 2', 'long'], `burst took ${burstMs.toFixed(0)} ms`);
      assert.ok(burstMs < STALL_MS, `burst took ${burstMs.toFixed(0)} ms`);
      assert.ok((pool.busyTime()[1]?.busyMs.predict ?? 0) > 0, JSON.stringify(pool.busyTime()));
      assert.deepEqual(pool.stats(), { size: 2, busy: 0, queued: 0, backend: 'wasm' });
    } finally {
      await pool.close();
    }
  },
);

test(
  'close() terminates the workers and rejects unanswered and later requests',
  { timeout: 30_000 },
  async () => {
    const pool = await InferencePool.start({ size: 1, backend: 'wasm' });
    const inFlight = assert.rejects(pool.predict(model, imagesOf(imagePaths)), /closed/);
    const queued = assert.rejects(pool.predict(model, imagesOf(imagePaths)), /closed/);
    assert.deepEqual(pool.stats(), { size: 1, busy: 1, queued: 1, backend: 'wasm' });
    await pool.close();
    await Promise.all([inFlight, queued]);
    assert.equal(pool.stats().size, 0);
    await assert.rejects(pool.predict(model, imagesOf(imagePaths)), /closed/);
  },
);

test(
  'a backend that cannot load fails start() with the reason',
  skipWhereNativeBackendInstalled,
  async () => {
    await assert.rejects(
      InferencePool.start({ size: 1, backend: 'tensorflow-gpu' }),
      /could not start: Backend/,
    );
  },
);

test('workers start when tsx is registered in-process (as bin/hydra.js does) from another cwd', async () => {
  const host = path.join(workDir, 'host.mjs');
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const poolModule = new URL('../../src/inference/pool.ts', import.meta.url).href;
  await writeFile(
    host,
    [
      `import { register } from '${tsxApi}';`,
      'register();',
      `const { InferencePool } = await import('${poolModule}');`,
      "const pool = await InferencePool.start({ size: 1, backend: 'wasm' });",
      `const outcomes = await pool.predict(${JSON.stringify(model)}, ${JSON.stringify(imagesOf(imagePaths.slice(0, 1)))});`,
      'console.log(JSON.stringify({ execArgv: process.execArgv, ok: outcomes[0].ok }));',
      'await pool.close();',
    ].join('\n'),
  );
  const { stdout } = await promisify(execFile)(process.execPath, [pathToFileURL(host).pathname], {
    cwd: os.tmpdir(),
  });
  assert.deepEqual(JSON.parse(stdout), { execArgv: [], ok: true });
});
