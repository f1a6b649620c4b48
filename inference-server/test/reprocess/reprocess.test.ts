import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  LabeledImageList,
  LogList,
  PlotList,
  Prediction,
  ReprocessComparison,
  ReprocessJob,
  ReprocessJobList,
} from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, type ApiClient } from '../helpers/api.ts';
import { buildTestApp, ENGINES, type TestEnvironment } from '../helpers/build-app.ts';
import { influxQuery, waitFor } from '../helpers/services.ts';
import { openEventStream } from '../helpers/sse.ts';
import {
  classifiedScene,
  getJob,
  jobPredictions,
  livePredictions,
  startReprocess,
  waitForJobEnd,
} from './reprocess-setup.ts';

for (const engine of ENGINES) {
  describe(`offline reprocessing (${engine})`, () => {
    test('a run range reprocessed with a second version: one prediction per image of that version, live verdicts untouched', async (t) => {
      const { app, tokens, influxUrl, influxDatabase, defer } = await buildTestApp(t, engine, {
        HYDRA_REPROCESS_BATCH_SIZE: '3',
      });
      const scene = await classifiedScene(app, tokens, { runs: [10, 11, 12], perRun: 6 });
      const inRange = [...scene.imagesByRun.get(10)!, ...scene.imagesByRun.get(11)!];
      const liveBefore = await livePredictions(app, tokens.viewer);
      const labelerBefore = await labelerRows(app, tokens.viewer, scene.plotType.id);
      const logBefore = await logTotal(app, tokens.viewer);
      const events = await openEventStream<ReprocessJob | Prediction>({ app, defer }, tokens.viewer);

      const job = await startReprocess(app, tokens.expert, {
        deployment: 'halld',
        plotType: 'CDC_occupancy',
        runFrom: 10,
        runTo: 11,
        modelVersionId: scene.challenger.id,
      });
      assert.equal(job.total, inRange.length);
      assert.equal(job.modelVersionId, scene.challenger.id);
      assert.equal(job.createdBy, 'test-expert');
      const ended = await waitForJobEnd(app, tokens.viewer, job.id);
      assert.equal(ended.status, 'completed');
      assert.deepEqual([ended.done, ended.failed, ended.etaSeconds], [inRange.length, 0, 0]);

      const reprocessed = await jobPredictions(app, tokens.viewer, job.id);
      assert.deepEqual(
        reprocessed.map((p) => p.imageId).sort((a, b) => a - b),
        inRange,
        'one per image',
      );
      for (const prediction of reprocessed) {
        assert.equal(prediction.modelVersionId, scene.challenger.id);
        assert.equal(prediction.reprocessJobId, job.id);
      }

      // The live views: the same predictions, the grid's latest verdict, the labeler's copies and the log.
      assert.deepEqual(await livePredictions(app, tokens.viewer), liveBefore);
      assert.ok(
        liveBefore.every((p) => p.modelVersionId === scene.live.id && p.reprocessJobId === undefined),
      );
      assert.deepEqual(await labelerRows(app, tokens.viewer, scene.plotType.id), labelerBefore);
      assert.equal(await logTotal(app, tokens.viewer), logBefore);
      const plots = (
        await app.inject({ url: '/api/v1/plots?deployment=halld', headers: auth(tokens.viewer) })
      ).json<PlotList>();
      assert.equal(plots.items[0]!.prediction!.modelVersionId, scene.live.id);
      for (const imageId of inRange) {
        const image = (
          await app.inject({ url: `/api/v1/images/${imageId}`, headers: auth(tokens.viewer) })
        ).json<{ prediction: { modelVersionId: number } }>();
        assert.equal(image.prediction.modelVersionId, scene.live.id, `image ${imageId}`);
      }

      // InfluxDB's hydra_prediction holds the live verdicts only.
      const baseUrl = influxUrl.slice(0, influxUrl.lastIndexOf('/'));
      const points = await waitFor(
        async () => {
          const rows = await influxQuery(baseUrl, influxDatabase, 'SELECT * FROM hydra_prediction');
          return rows.length >= liveBefore.length && rows;
        },
        { what: 'the live points' },
      );
      assert.equal(points.length, liveBefore.length);
      assert.ok(points.every((point) => point.model_version === String(scene.live.version)));

      // Progress went out on the event stream, ending with the completed job; no prediction event for it.
      await waitFor(
        () => events.received.some((e) => 'total' in e && e.id === job.id && e.status === 'completed'),
        { what: 'the completed event' },
      );
      const reprocessedIds = new Set(reprocessed.map((p) => p.id));
      assert.ok(!events.received.some((e) => 'imageId' in e && reprocessedIds.has(e.id)));

      // The inverted version disagrees with the live one on every image.
      const comparison = (
        await app.inject({ url: `/api/v1/reprocess/${job.id}/comparison`, headers: auth(tokens.viewer) })
      ).json<ReprocessComparison>();
      const liveVerdicts = new Map(liveBefore.map((p) => [p.imageId, p.verdict]));
      const good = inRange.filter((id) => liveVerdicts.get(id) === 'Good').length;
      assert.ok(good > 0 && good < inRange.length);
      assert.deepEqual(
        [comparison.reprocessed, comparison.compared, comparison.agreed, comparison.agreement],
        [inRange.length, inRange.length, 0, 0],
      );
      assert.deepEqual(comparison.confusion, [
        { live: 'Bad', reprocessed: 'Good', count: inRange.length - good },
        { live: 'Good', reprocessed: 'Bad', count: good },
      ]);
      assert.deepEqual(comparison.liveVersions, [
        {
          modelVersionId: scene.live.id,
          model: 'brightness',
          version: scene.live.version,
          images: inRange.length,
        },
      ]);
      assert.equal(comparison.pairs.length, inRange.length);
      for (const pair of comparison.pairs) {
        assert.equal(pair.live!.verdict, liveVerdicts.get(pair.imageId));
        assert.equal(pair.live!.modelVersionId, scene.live.id);
        assert.equal(pair.reprocessed.modelVersionId, scene.challenger.id);
        assert.notEqual(pair.reprocessed.verdict, pair.live!.verdict);
      }

      // With the active version by default, the same range agrees with the live verdicts everywhere.
      const again = await startReprocess(app, tokens.expert, {
        deployment: 'halld',
        plotType: 'CDC_occupancy',
        runFrom: 12,
        runTo: 12,
      });
      assert.equal(again.modelVersionId, scene.live.id);
      await waitForJobEnd(app, tokens.viewer, again.id);
      const agreement = (
        await app.inject({ url: `/api/v1/reprocess/${again.id}/comparison`, headers: auth(tokens.viewer) })
      ).json<ReprocessComparison>();
      assert.deepEqual([agreement.compared, agreement.agreed, agreement.pairs.length], [6, 6, 0]);
      const allPairs = (
        await app.inject({
          url: `/api/v1/reprocess/${again.id}/comparison?disagreeing=false&limit=4&offset=2`,
          headers: auth(tokens.viewer),
        })
      ).json<ReprocessComparison>();
      assert.deepEqual(
        allPairs.pairs.map((pair) => [pair.imageId, pair.live!.verdict === pair.reprocessed.verdict]),
        scene.imagesByRun
          .get(12)!
          .slice(2, 6)
          .map((id) => [id, true]),
      );
      const list = (
        await app.inject({ url: '/api/v1/reprocess', headers: auth(tokens.viewer) })
      ).json<ReprocessJobList>();
      assert.deepEqual(
        list.items.map((item) => item.id),
        [again.id, job.id],
      );
    });

    test('cancel stops a job: its remaining images are never processed', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine, { HYDRA_REPROCESS_BATCH_SIZE: '1' });
      const scene = await classifiedScene(app, tokens, { runs: [1], perRun: 60 });
      const job = await startReprocess(app, tokens.expert, {
        deployment: 'halld',
        plotType: 'CDC_occupancy',
        runFrom: 1,
        modelVersionId: scene.challenger.id,
      });
      const cancel = await app.inject({
        method: 'POST',
        url: `/api/v1/reprocess/${job.id}/cancel`,
        headers: auth(tokens.expert),
      });
      assert.equal(cancel.statusCode, 200, cancel.body);
      assert.equal(cancel.json<ReprocessJob>().status, 'cancelled');
      assert.equal(cancel.json<ReprocessJob>().cancelledBy, 'test-expert');

      // A batch that was running when the cancel came ends without storing; nothing starts after it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const settled = await getJob(app, tokens.viewer, job.id);
      const stored = await jobPredictions(app, tokens.viewer, job.id);
      assert.equal(settled.status, 'cancelled');
      assert.equal(stored.length, settled.done);
      assert.ok(settled.done + settled.failed < settled.total, JSON.stringify(settled));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal((await jobPredictions(app, tokens.viewer, job.id)).length, stored.length);

      const twice = await app.inject({
        method: 'POST',
        url: `/api/v1/reprocess/${job.id}/cancel`,
        headers: auth(tokens.expert),
      });
      assert.equal(twice.statusCode, 409);
      assert.match(twice.json<{ detail: string }>().detail, /already cancelled/);
    });
  });
}

test('a reprocessing request that cannot run gets a 4xx problem saying what to fix', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const scene = await classifiedScene(app, tokens, { runs: [5], perRun: 2 });
  const other = await versionOfAnotherPlotType(app, tokens);
  const retire = await app.inject({
    method: 'PATCH',
    url: `/api/v1/models/${scene.plotType.id}/versions/${scene.challenger.id}`,
    headers: auth(tokens.expert),
    payload: { status: 'retired' },
  });
  assert.equal(retire.statusCode, 200, retire.body);
  const base = { deployment: 'halld', plotType: 'CDC_occupancy', runFrom: 5, runTo: 5 };
  const cases: Array<[object, number, RegExp, string?]> = [
    [
      { ...base, plotType: 'NoSuchPlot' },
      422,
      /plot type "NoSuchPlot" is not registered in deployment "halld"/,
    ],
    [{ ...base, deployment: 'nowhere' }, 422, /deployment "nowhere" is not registered/],
    [{ ...base, modelVersionId: 9999 }, 422, /model version 9999 does not exist/],
    [
      { ...base, modelVersionId: other },
      400,
      /is a version of plot type "FCAL_occupancy", not of "CDC_occupancy"/,
    ],
    [{ ...base, runFrom: 6 }, 400, /runFrom \(6\) is after runTo \(5\): swap them/],
    [
      {
        deployment: 'halld',
        plotType: 'CDC_occupancy',
        from: '2030-01-02T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
      },
      400,
      /from .* is after to .*: swap them/,
    ],
    [{ ...base, from: '2030-01-01T00:00:00Z' }, 400, /not both/],
    [{ deployment: 'halld', plotType: 'CDC_occupancy' }, 400, /give a run range/],
    [{ ...base, runFrom: 7, runTo: 9 }, 422, /has 0 images in runs 7 to 9: there is nothing to reprocess/],
    [{ ...base, modelVersionId: scene.challenger.id }, 409, /is retired and cannot run: restore it/],
    [base, 403, /./, tokens.labeler],
  ];
  for (const [payload, status, detail, token = tokens.expert] of cases) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/reprocess',
      headers: auth(token),
      payload,
    });
    assert.equal(response.statusCode, status, `${JSON.stringify(payload)}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    assert.match(response.json<{ detail: string }>().detail, detail);
  }
  const missing = await app.inject({ url: '/api/v1/reprocess/4242', headers: auth(tokens.viewer) });
  assert.equal(missing.statusCode, 404);
  assert.match(missing.json<{ detail: string }>().detail, /reprocessing job 4242 does not exist/);
});

/** The id of a model version of another plot type. */
async function versionOfAnotherPlotType(app: ApiClient, tokens: TestEnvironment['tokens']) {
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_occupancy');
  return (await registerBrightnessModel(app, tokens.expert, plotType.id)).id;
}

async function labelerRows(app: ApiClient, token: string, plotTypeId: number) {
  return (
    await app.inject({ url: `/api/v1/labels?plotTypeId=${plotTypeId}&limit=1000`, headers: auth(token) })
  ).json<LabeledImageList>().items;
}

async function logTotal(app: ApiClient, token: string) {
  return (await app.inject({ url: '/api/v1/log', headers: auth(token) })).json<LogList>().total;
}
