import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AgreementList,
  ImageUploadResult,
  LabeledImageList,
  LabelList,
  Reference,
  ReferenceList,
  RunList,
  ServerStatus,
} from '../../../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../../../helpers/api.ts';
import { buildTestApp, ENGINES } from '../../../helpers/build-app.ts';
import { plotPng } from '../../../helpers/images.ts';
import { influxQuery, waitFor } from '../../../helpers/services.ts';

for (const engine of ENGINES)
  test(`labels keep their history, filter the labeler views, and measure agreement with the model (${engine})`, async (t) => {
    const { app, tokens, influxUrl, influxDatabase } = await buildTestApp(t, engine);
    const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
    await registerBrightnessModel(app, tokens.expert, plotType.id);
    // The plot type also has a NoData class, which its model does not give: labels may name any of its classes.
    const classes = ['Good', 'Bad', 'NoData'].map((name) => ({ name, colour: '#808080', severity: 'warn' }));
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/plot-types',
      headers: auth(tokens.admin),
      payload: { deployment: 'halld', name: 'CDC_occupancy', group: 'test', classes },
    });
    assert.equal(registered.statusCode, 200, registered.body);
    const uploaded: ImageUploadResult[] = [];
    for (const [i, brightness] of [0.9, 0.8, 0.1].entries()) {
      const { result } = await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: 'CDC_occupancy', run: String(100 + i) },
        await plotPng({ brightness, seed: 40 + i }),
      );
      uploaded.push(result!);
    }
    await waitFor(
      async () =>
        (await app.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })).json<ServerStatus>().queue
          .classified === 3,
      { what: 'three verdicts' },
    );
    const [good, alsoGood, bad] = uploaded.map((u) => u.image.id) as [number, number, number];

    const label = (imageIds: number[], className: string, token = tokens.labeler, source = 'override') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/labels',
        headers: auth(token),
        payload: { imageIds, class: className, source },
      });
    assert.equal((await label([good], 'Good', tokens.viewer)).statusCode, 403);
    assert.equal((await label([999_999], 'Good')).statusCode, 404);

    // The operator first agrees with the model on `good`, then overrides `alsoGood` to Bad.
    const first = await label([good], 'Good');
    assert.equal(first.statusCode, 201);
    assert.equal(first.json<LabelList>().items[0]!.user, 'test-labeler');
    assert.equal((await label([alsoGood], 'Bad')).statusCode, 201);
    // A second opinion on `good` supersedes the first label, which stays in the history.
    assert.equal((await label([good], 'NoData', tokens.expert, 'labeler')).statusCode, 201);
    const history = (
      await app.inject({ url: `/api/v1/images/${good}/labels`, headers: auth(tokens.viewer) })
    ).json<LabelList>();
    assert.deepEqual(
      history.items.map((l) => [l.class, l.supersededAt === null]),
      [
        ['NoData', true],
        ['Good', false],
      ],
    );

    const view = async (filter: string) =>
      (
        await app.inject({
          url: `/api/v1/labels?plotTypeId=${plotType.id}&filter=${filter}`,
          headers: auth(tokens.viewer),
        })
      )
        .json<LabeledImageList>()
        .items.map((i) => i.imageId)
        .sort();
    assert.deepEqual(await view('unlabeled'), [bad]);
    assert.deepEqual(await view('labeled'), [good, alsoGood].sort());
    assert.deepEqual(await view('disagreement'), [good, alsoGood].sort());
    assert.deepEqual(await view('all'), [good, alsoGood, bad].sort());

    // Three human labels after predictions: one agreed (Good on a Good verdict), two did not.
    const agreement = (
      await app.inject({ url: `/api/v1/models/${plotType.id}/agreement`, headers: auth(tokens.viewer) })
    ).json<AgreementList>();
    assert.equal(agreement.items.length, 1);
    assert.equal(agreement.items[0]!.labeled, 2, 'current labels only: NoData on good, Bad on alsoGood');
    assert.equal(agreement.items[0]!.agreed, 0);
    const baseUrl = influxUrl.slice(0, influxUrl.lastIndexOf('/'));
    const points = await waitFor(
      async () => {
        const rows = await influxQuery(
          baseUrl,
          influxDatabase,
          'SELECT agree, label, verdict FROM hydra_model_agreement',
        );
        return rows.length === 3 && rows;
      },
      { what: 'agreement points' },
    );
    assert.deepEqual(points.map((p) => p.agree).sort(), [0, 0, 1]);
  });

test('references are set per plot type, keep their history, and refuse images of another plot type', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const cdc = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  await createPlotType(app, tokens.admin, 'halld', 'FCAL_occupancy');
  const ids: number[] = [];
  for (const [i, plotType] of ['CDC_occupancy', 'CDC_occupancy', 'FCAL_occupancy'].entries()) {
    const { result } = await uploadPlot(
      app,
      tokens.ingest,
      { deployment: 'halld', plotType, run: '5' },
      await plotPng({ brightness: 0.5, seed: 70 + i }),
    );
    ids.push(result!.image.id);
  }
  const put = (imageId: number, token = tokens.expert) =>
    app.inject({
      method: 'PUT',
      url: `/api/v1/plot-types/${cdc.id}/reference`,
      headers: auth(token),
      payload: { imageId },
    });
  assert.equal(
    (await app.inject({ url: `/api/v1/plot-types/${cdc.id}/reference`, headers: auth(tokens.viewer) }))
      .statusCode,
    404,
  );
  assert.equal((await put(ids[0]!, tokens.labeler)).statusCode, 403);
  assert.equal((await put(ids[0]!)).statusCode, 200);
  assert.equal((await put(ids[1]!)).statusCode, 200);
  const wrongPlotType = await put(ids[2]!);
  assert.equal(wrongPlotType.statusCode, 404);
  assert.match(wrongPlotType.json<{ detail: string }>().detail, /not a plot of plot type/);
  const current = (
    await app.inject({ url: `/api/v1/plot-types/${cdc.id}/reference`, headers: auth(tokens.viewer) })
  ).json<Reference>();
  assert.equal(current.imageId, ids[1]);
  assert.equal(current.setBy, 'test-expert');
  const history = (
    await app.inject({ url: `/api/v1/plot-types/${cdc.id}/references`, headers: auth(tokens.viewer) })
  ).json<ReferenceList>();
  assert.deepEqual(
    history.items.map((r) => r.imageId),
    [ids[1], ids[0]],
  );

  const runs = (
    await app.inject({ url: '/api/v1/runs?deployment=halld', headers: auth(tokens.viewer) })
  ).json<RunList>();
  assert.deepEqual(
    runs.items.map((r) => [r.number, r.images]),
    [[5, 3]],
  );
});
