import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import type { ImageWithPrediction, ModelVersion, ModelVersionList } from '../../../../src/schemas/index.ts';
import {
  auth,
  createPlotType,
  multipartBody,
  registerBrightnessModel,
  uploadPlot,
} from '../../../helpers/api.ts';
import { buildTestApp } from '../../../helpers/build-app.ts';
import { plotPng } from '../../../helpers/images.ts';
import { BRIGHTNESS_CLASSES, modelFolderEntries, saveBrightnessModel } from '../../../helpers/model.ts';
import { waitFor } from '../../../helpers/services.ts';

test('promote, rollback and threshold edits change the next verdicts without a restart', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  const normal = await registerBrightnessModel(app, tokens.expert, plotType.id);
  const inverted = await registerBrightnessModel(
    app,
    tokens.expert,
    plotType.id,
    { activate: 'false' },
    { inverted: true },
  );
  assert.equal(inverted.status, 'ready');
  assert.equal(inverted.version, 2);

  let seed = 0;
  const classifyBrightPlot = async () => {
    const { result } = await uploadPlot(
      app,
      tokens.ingest,
      { deployment: 'halld', plotType: 'CDC_occupancy' },
      await plotPng({ brightness: 0.9, seed: ++seed }),
    );
    const image = await waitFor(
      async () => {
        const current = (
          await app.inject({ url: `/api/v1/images/${result!.image.id}`, headers: auth(tokens.viewer) })
        ).json<ImageWithPrediction>();
        return current.prediction !== null && current;
      },
      { what: 'a verdict' },
    );
    return image.prediction!;
  };
  const post = (url: string, token = tokens.expert) =>
    app.inject({ method: 'POST', url, headers: auth(token) });

  const first = await classifyBrightPlot();
  assert.deepEqual([first.verdict, first.modelVersionId], ['Good', normal.id]);

  assert.equal(
    (await post(`/api/v1/models/${plotType.id}/versions/${inverted.id}/activate`, tokens.labeler)).statusCode,
    403,
  );
  const promoted = await post(`/api/v1/models/${plotType.id}/versions/${inverted.id}/activate`);
  assert.equal(promoted.json<ModelVersion>().status, 'active');
  const afterPromote = await classifyBrightPlot();
  assert.deepEqual([afterPromote.verdict, afterPromote.modelVersionId], ['Bad', inverted.id]);

  const rolledBack = await post(`/api/v1/models/${plotType.id}/rollback`);
  assert.equal(rolledBack.json<ModelVersion>().id, normal.id);
  const afterRollback = await classifyBrightPlot();
  assert.deepEqual([afterRollback.verdict, afterRollback.modelVersionId], ['Good', normal.id]);
  const versions = (
    await app.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) })
  ).json<ModelVersionList>();
  assert.deepEqual(
    versions.items.map((v) => [v.version, v.status]),
    [
      [2, 'ready'],
      [1, 'active'],
    ],
  );

  // A Good threshold above what the model gives leaves the verdict unconfirmed.
  const patch = (versionId: number, payload: object) =>
    app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${plotType.id}/versions/${versionId}`,
      headers: auth(tokens.expert),
      payload,
    });
  const edited = await patch(normal.id, { thresholds: { Good: 0.9999 } });
  assert.deepEqual(edited.json<ModelVersion>().thresholds, { Good: 0.9999 });
  const unconfirmed = await classifyBrightPlot();
  assert.equal(unconfirmed.verdict, 'Good');
  assert.equal(unconfirmed.confirmed, false);
  assert.equal((await patch(normal.id, { thresholds: { Maybe: 0.5 } })).statusCode, 400);
  assert.equal((await patch(normal.id, { status: 'retired' })).statusCode, 409);
  assert.equal((await patch(inverted.id, { status: 'retired' })).json<ModelVersion>().status, 'retired');
  assert.equal(
    (await post(`/api/v1/models/${plotType.id}/versions/${inverted.id}/activate`)).statusCode,
    409,
  );
});

test('a broken model.json or a missing weights file is a clear 400', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_occupancy');
  const { multipartBody } = await import('../../../helpers/api.ts');
  const upload = async (files: Array<{ name: string; content: Buffer }>) => {
    const body = await multipartBody(
      { classes: 'Good,Bad' },
      files.map((f) => ({ field: 'files', ...f })),
    );
    return app.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/versions`,
      headers: { ...auth(tokens.expert), ...body.headers },
      payload: body.payload,
    });
  };
  const broken = await upload([{ name: 'model.json', content: Buffer.from('{"modelTopology": ') }]);
  assert.equal(broken.statusCode, 400);
  assert.match(broken.json<{ detail: string }>().detail, /model.json is not valid JSON/);
  const missingWeights = await upload([
    {
      name: 'model.json',
      content: Buffer.from(
        JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] }),
      ),
    },
  ]);
  assert.equal(missingWeights.statusCode, 400);
  assert.match(missingWeights.json<{ detail: string }>().detail, /weights.bin/);
});

test('a zipped model folder imports and classifies; a corrupt zip, two folders in one, or one past the limit get a clear 4xx', async (t) => {
  // 64 KiB: the brightness model fits, the 1 MiB of zeros below (a kilobyte once zipped) does not.
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_MAX_MODEL_BYTES: String(64 * 1024) });
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'BCAL_occupancy');
  const modelFiles = await modelFolderEntries(await saveBrightnessModel());
  const uploadArchive = async (name: string, content: Buffer) => {
    const body = await multipartBody({ classes: BRIGHTNESS_CLASSES.join(','), activate: 'true' }, [
      { field: 'file', name, content },
    ]);
    return app.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/versions`,
      headers: { ...auth(tokens.expert), ...body.headers },
      payload: body.payload,
    });
  };
  const uploadZip = (entries: Record<string, Uint8Array>) =>
    uploadArchive('model.zip', Buffer.from(zipSync(entries)));

  // As `zip -r` makes it on a Mac: the files inside a folder, beside the archiver's resource forks.
  const imported = await uploadZip({
    'brightness/': new Uint8Array(),
    ...Object.fromEntries(
      Object.entries(modelFiles).map(([name, content]) => [`brightness/${name}`, content]),
    ),
    '__MACOSX/brightness/._model.json': new Uint8Array([0, 5, 22, 7]),
  });
  assert.equal(imported.statusCode, 201, imported.body);
  const version = imported.json<ModelVersion>();
  assert.equal(version.status, 'active');
  const { result } = await uploadPlot(
    app,
    tokens.ingest,
    { deployment: 'halld', plotType: 'BCAL_occupancy' },
    await plotPng({ brightness: 0.9, seed: 1 }),
  );
  const prediction = await waitFor(
    async () =>
      (
        await app.inject({ url: `/api/v1/images/${result!.image.id}`, headers: auth(tokens.viewer) })
      ).json<ImageWithPrediction>().prediction ?? undefined,
    { what: 'a verdict from the zipped model' },
  );
  assert.deepEqual([prediction.verdict, prediction.modelVersionId], ['Good', version.id]);

  const corrupt = await uploadArchive('cut.zip', Buffer.from(zipSync(modelFiles)).subarray(0, 200));
  assert.equal(corrupt.statusCode, 400, corrupt.body);
  assert.match(corrupt.json<{ detail: string }>().detail, /cut.zip is not a readable zip archive/);

  const twoFolders = await uploadZip({
    ...Object.fromEntries(Object.entries(modelFiles).map(([name, content]) => [`a/${name}`, content])),
    ...Object.fromEntries(Object.entries(modelFiles).map(([name, content]) => [`b/${name}`, content])),
  });
  assert.equal(twoFolders.statusCode, 400, twoFolders.body);
  assert.match(twoFolders.json<{ detail: string }>().detail, /more than one file named .*model.json/);

  // Weights, as only the files model.json names are inflated.
  const tooBig = await uploadZip({ ...modelFiles, 'weights.bin': new Uint8Array(1024 * 1024) });
  assert.equal(tooBig.statusCode, 413, tooBig.body);
  assert.match(tooBig.json<{ detail: string }>().detail, /unpacks to more than .*HYDRA_MAX_MODEL_BYTES/);

  const versions = (
    await app.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) })
  ).json<ModelVersionList>();
  assert.deepEqual(
    versions.items.map((item) => item.id),
    [version.id],
    'only the good archive made a version',
  );
});
