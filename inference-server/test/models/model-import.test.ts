import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { saveModel } from '../../src/ml/model-io.ts';
import type { ModelVersion } from '../../src/schemas/index.ts';
import { auth, createPlotType, multipartBody, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES, type TestApp } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { BRIGHTNESS_CLASSES, modelFolderEntries, saveBrightnessModel } from '../helpers/model.ts';
import { waitFor } from '../helpers/services.ts';

type ModelFiles = Record<string, Uint8Array>;

/** A saved classifier of `units` outputs on `inputShape` images (1×1 conv, pooling, dense), as its files. */
async function classifierFiles(t: TestContext, inputShape: number[], units: number): Promise<ModelFiles> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape, filters: 1, kernelSize: 1 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units, activation: 'softmax' }),
    ],
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-import-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await saveModel(model, dir);
  model.dispose();
  return modelFolderEntries(dir);
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }>;
}

/** The files with model.json changed by `edit`. */
function withModelJson(files: ModelFiles, edit: (modelJson: ModelJson) => void): ModelFiles {
  const modelJson = JSON.parse(Buffer.from(files['model.json']!).toString('utf8')) as ModelJson;
  edit(modelJson);
  return { ...files, 'model.json': new Uint8Array(Buffer.from(JSON.stringify(modelJson))) };
}

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

const CENTRAL_SIGNATURE = Buffer.from('PK\x01\x02', 'latin1');
/** Offsets in a central directory header: CRC-32, uncompressed size, file name length, file name. */
const CENTRAL = { crc32: 16, uncompressedSize: 24, nameLength: 28, name: 46 } as const;

/** The zip with a central directory field of one entry overwritten: the archive claims what the test wants. */
function withCentralField(
  zip: Uint8Array,
  entryName: string,
  field: 'crc32' | 'uncompressedSize',
  value: (actual: number) => number,
): Buffer {
  const bytes = Buffer.from(zip);
  const name = Buffer.from(entryName);
  for (let at = bytes.indexOf(CENTRAL_SIGNATURE); at !== -1; at = bytes.indexOf(CENTRAL_SIGNATURE, at + 4)) {
    const nameAt = at + CENTRAL.name;
    if (
      bytes.readUInt16LE(at + CENTRAL.nameLength) === name.length &&
      bytes.subarray(nameAt, nameAt + name.length).equals(name)
    ) {
      bytes.writeUInt32LE(value(bytes.readUInt32LE(at + CENTRAL[field])) >>> 0, at + CENTRAL[field]);
      return bytes;
    }
  }
  throw new Error(`the zip has no central directory entry ${entryName}`);
}

/** Posts a model upload (files by name) with the given classes, as an expert. */
async function importFiles(
  { app, tokens }: TestApp,
  plotTypeId: number,
  files: Record<string, Uint8Array | Buffer>,
  classes = BRIGHTNESS_CLASSES,
) {
  const body = await multipartBody(
    { classes: classes.join(','), name: 'candidate' },
    Object.entries(files).map(([name, content]) => ({ field: 'files', name, content: Buffer.from(content) })),
  );
  return app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotTypeId}/versions`,
    headers: { ...auth(tokens.expert), ...body.headers },
    payload: body.payload,
  });
}

/** The folders under the data folder's models/. */
async function modelFolders({ dataDir }: TestApp): Promise<string[]> {
  return (await fs.readdir(path.join(dataDir, 'models')).catch(() => [])).sort();
}

for (const engine of ENGINES) {
  describe(`model import checks (${engine})`, () => {
    test('each failed check is a 400 that names it, and leaves no model folder behind', async (t) => {
      const testApp = await buildTestApp(t, engine);
      const plotType = await createPlotType(testApp.app, testApp.tokens.admin, 'halld', 'CDC_occupancy');
      const brightness = await modelFolderEntries(await saveBrightnessModel());
      const weights = brightness['weights.bin']!;
      const refusals: Array<[string, ModelFiles, string[], RegExp]> = [
        [
          'three outputs for two classes',
          await classifierFiles(t, [32, 32, 1], 3),
          BRIGHTNESS_CLASSES,
          /model "candidate" gives 3 outputs, but it is registered with 2 classes/,
        ],
        ['a class named twice', brightness, ['Good', 'Good'], /classes name Good more than once/],
        [
          'a side over 1024',
          await classifierFiles(t, [1100, 1100, 1], 2),
          BRIGHTNESS_CLASSES,
          /model "candidate" takes 1100×1100 images: each side must be 1 to 1024 pixels/,
        ],
        [
          'two channels',
          await classifierFiles(t, [32, 32, 2], 2),
          BRIGHTNESS_CLASSES,
          /model "candidate" takes 2 channels; 1 \(grayscale\) or 3 \(RGB\)/,
        ],
        ...['../weights.bin', '/etc/weights.bin', 'sub/weights.bin', 'sub\\weights.bin'].map(
          (weightPath): [string, ModelFiles, string[], RegExp] => [
            `the weight path ${weightPath}`,
            withModelJson(brightness, (json) => (json.weightsManifest[0]!.paths = [weightPath])),
            BRIGHTNESS_CLASSES,
            new RegExp(
              `names the weight file ${escapeRegExp(JSON.stringify(weightPath))}: a weight file must be a plain file name`,
            ),
          ],
        ),
        [
          'model.json as its own weights',
          withModelJson(brightness, (json) => (json.weightsManifest[0]!.paths = ['model.json'])),
          BRIGHTNESS_CLASSES,
          /model.json names itself as a weight file/,
        ],
        [
          'a short shard',
          { ...brightness, 'weights.bin': weights.subarray(0, weights.length - 4) },
          BRIGHTNESS_CLASSES,
          /the weight files weights.bin hold 20 bytes, but the 4 weights model.json lists for them take 24/,
        ],
        [
          'float32 weights listed as quantized to uint8',
          withModelJson(brightness, (json) => {
            for (const spec of json.weightsManifest[0]!.weights) {
              spec.quantization = { dtype: 'uint8', min: -1, scale: 0.01 };
            }
          }),
          BRIGHTNESS_CLASSES,
          /the weight files weights.bin hold 24 bytes, but the 4 weights model.json lists for them take 6/,
        ],
        [
          'a topology tfjs cannot build',
          withModelJson(brightness, (json) => (json.modelTopology = { class_name: 'Nothing' })),
          BRIGHTNESS_CLASSES,
          /model "candidate" cannot be loaded: .*model\.json/,
        ],
      ];
      for (const [what, files, classes, detail] of refusals) {
        const response = await importFiles(testApp, plotType.id, files, classes);
        assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
        assert.match(response.json<{ detail: string }>().detail, detail, what);
        assert.deepEqual(await modelFolders(testApp), [], `${what}: no folder left in models/`);
      }
      const versions = await testApp.app.catalog.models.listVersions(plotType.id);
      assert.deepEqual(versions, [], 'no version was registered');
    });
  });
}

test('a zip is trusted for nothing: sizes and CRCs are checked as it inflates, and only what model.json names is written', async (t) => {
  const testApp = await buildTestApp(t, 'sqlite');
  const plotType = await createPlotType(testApp.app, testApp.tokens.admin, 'halld', 'CDC_occupancy');
  const brightness = await modelFolderEntries(await saveBrightnessModel());
  const weights = brightness['weights.bin']!.length;
  const zipped = zipSync(brightness);

  const refusals: Array<[string, Buffer, RegExp]> = [
    [
      'an entry larger than its header says',
      withCentralField(zipped, 'weights.bin', 'uncompressedSize', (size) => size - 8),
      new RegExp(`model.zip is not a readable zip archive: weights.bin: .*expected ${weights - 8}`),
    ],
    [
      'an entry smaller than its header says',
      withCentralField(zipped, 'weights.bin', 'uncompressedSize', (size) => size + 8),
      new RegExp(`model.zip is not a readable zip archive: weights.bin: .*expected ${weights + 8}`),
    ],
    [
      'a CRC-32 that does not match',
      withCentralField(zipped, 'weights.bin', 'crc32', (crc) => crc ^ 1),
      /model.zip is not a readable zip archive: weights.bin fails its CRC-32 check/,
    ],
  ];
  for (const [what, archive, detail] of refusals) {
    const response = await importFiles(testApp, plotType.id, { 'model.zip': archive });
    assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
    assert.match(response.json<{ detail: string }>().detail, detail, what);
    assert.deepEqual(await modelFolders(testApp), [], `${what}: no folder left in models/`);
  }

  const withExtras = zipSync({ ...brightness, 'notes.txt': Buffer.from('not a weight file') });
  const imported = await importFiles(testApp, plotType.id, { 'model.zip': withExtras });
  assert.equal(imported.statusCode, 201, imported.body);
  const version = await testApp.app.catalog.models.getVersion(imported.json<ModelVersion>().id);
  const written = await fs.readdir(path.join(testApp.dataDir, version.artifact_path));
  assert.deepEqual(written.sort(), ['model.json', 'weights.bin'], 'notes.txt is not written');
});

test('an image of a plot type whose active version cannot give a verdict fails at once, saying why', async (t) => {
  const leaseMs = 60_000;
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_CLAIM_LEASE_MS: String(leaseMs) });
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  // Import refuses this model, so it goes into the catalog directly: two outputs, three classes.
  const version = await app.catalog.models.createVersion({
    plotTypeId: plotType.id,
    name: 'misfit',
    architecture: 'custom',
    kind: 'classifier',
    inputShape: [32, 32, 1],
    classes: ['Good', 'Bad', 'NoData'],
    thresholds: {},
    artifactPath: await saveBrightnessModel(),
  });
  await app.catalog.models.activate({
    plotTypeId: plotType.id,
    versionId: version.id,
    actor: 'test',
    reason: 'a version that cannot give a verdict',
  });

  const started = Date.now();
  const { result } = await uploadPlot(
    app,
    tokens.ingest,
    { deployment: 'halld', plotType: 'CDC_occupancy' },
    await plotPng({ brightness: 0.5, seed: 1 }),
  );
  const image = await waitFor(
    async () => {
      const current = await app.catalog.images.get(result!.image.id);
      return current.status !== 'pending' && current;
    },
    { what: 'the image to be finished' },
  );
  assert.equal(image.status, 'failed');
  assert.match(image.error ?? '', /gives 2 outputs, but it is registered with 3 classes/);
  assert.ok(Date.now() - started < leaseMs / 4, 'it failed well inside one claim lease, not after retries');
});
