// The distance of each new plot from its plot type's current reference, beside the verdict: with no model (pixels) it
// jumps when a fault appears and falls back when the faulty plot becomes the reference (the "new normal"); a Siamese
// encoder trained through the API on labeled pairs then measures it, with a calibrated threshold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  ImageWithPrediction,
  Prediction,
  SiameseStatus,
  SiameseTraining,
} from '../../../../src/schemas/index.ts';
import { simulatePlot } from '../../../../src/simulator/index.ts';
import type { FailureModeName } from '../../../../src/simulator/index.ts';
import {
  auth,
  createPlotType,
  labelImages,
  registerBrightnessModel,
  uploadPlot,
  type ApiClient,
} from '../../../helpers/api.ts';
import { buildTestApp, ENGINES } from '../../../helpers/build-app.ts';
import { influxQuery, waitFor } from '../../../helpers/services.ts';

const KIND = 'FCAL_occupancy';

/** Uploads a simulated plot of run `run` (with `fault`) and returns its image id. */
async function upload(app: ApiClient, token: string, run: number, fault?: FailureModeName): Promise<number> {
  const plot = await simulatePlot({
    kind: KIND,
    run,
    seed: 5,
    ...(fault && { fault: { mode: fault, strength: 'normal' } }),
  });
  const { result } = await uploadPlot(
    app,
    token,
    { deployment: 'halld', plotType: KIND, run: String(run) },
    plot.png,
  );
  return result!.image.id;
}

async function predictionOf(app: ApiClient, token: string, imageId: number): Promise<Prediction> {
  return waitFor(
    async () =>
      (
        await app.inject({ url: `/api/v1/images/${imageId}`, headers: auth(token) })
      ).json<ImageWithPrediction>().prediction ?? false,
    { timeoutMs: 60_000, intervalMs: 100, what: `the verdict of image ${imageId}` },
  );
}

async function setReference(
  app: ApiClient,
  token: string,
  plotTypeId: number,
  imageId: number,
): Promise<void> {
  const response = await app.inject({
    method: 'PUT',
    url: `/api/v1/plot-types/${plotTypeId}/reference`,
    headers: auth(token),
    payload: { imageId },
  });
  assert.equal(response.statusCode, 200, response.body);
}

for (const engine of ENGINES) {
  test(`reference distance on ${engine}: it jumps with a fault and falls back when the faulty plot becomes the reference`, async (t) => {
    const { app, tokens, influxUrl, influxDatabase } = await buildTestApp(t, engine, { HYDRA_WORKERS: '1' });
    const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
    await registerBrightnessModel(app, tokens.expert, plotType.id);
    const measured = async (run: number, fault?: FailureModeName) =>
      predictionOf(app, tokens.viewer, await upload(app, tokens.ingest, run, fault));

    // No reference yet: no distance, and the verdict is made all the same.
    const first = await measured(1);
    assert.equal(first.referenceDistance, undefined);
    await setReference(app, tokens.expert, plotType.id, first.imageId);

    const good = [await measured(2), await measured(3), await measured(4)];
    const dead = await measured(5, 'dead-region');
    const empty = await measured(6, 'no-data');
    for (const prediction of [...good, dead, empty]) {
      assert.equal(prediction.referenceImageId, first.imageId);
      assert.equal(prediction.referenceModelVersionId, undefined, 'no Siamese encoder: the pixel distance');
      assert.equal(prediction.referenceAnomalous, undefined, 'the pixel distance has no threshold');
    }
    const usual = Math.max(...good.map((prediction) => prediction.referenceDistance!));
    assert.ok(
      dead.referenceDistance! > 2 * usual,
      `dead region ${dead.referenceDistance} vs good ≤ ${usual}`,
    );
    assert.ok(
      empty.referenceDistance! > 10 * usual,
      `empty plot ${empty.referenceDistance} vs good ≤ ${usual}`,
    );

    // The detector stays off and the shift crew accepts it: the empty plot is the new reference.
    await setReference(app, tokens.expert, plotType.id, empty.imageId);
    const [emptyAgain, goodAgain] = [await measured(7, 'no-data'), await measured(8)];
    assert.equal(emptyAgain.referenceImageId, empty.imageId, 'measured from the new reference');
    assert.ok(
      emptyAgain.referenceDistance! < usual,
      `same fault: ${emptyAgain.referenceDistance} < ${usual}`,
    );
    assert.ok(
      goodAgain.referenceDistance! > 10 * usual,
      `a good plot is now far: ${goodAgain.referenceDistance}`,
    );
    // Stored verdicts keep the reference they were measured from.
    assert.equal((await predictionOf(app, tokens.viewer, empty.imageId)).referenceImageId, first.imageId);

    // InfluxDB's point carries the distance beside the verdict, for Grafana to trend and alert on.
    const points = await waitFor(
      async () => {
        const found = await influxQuery(
          influxUrl.slice(0, -influxDatabase.length - 1),
          influxDatabase,
          `SELECT reference_distance, reference_image_id, verdict FROM hydra_prediction WHERE image_id = ${goodAgain.imageId}`,
        );
        return found.length > 0 && found;
      },
      { timeoutMs: 30_000, what: 'the point of the good plot' },
    );
    assert.ok(Math.abs((points[0]!.reference_distance as number) - goodAgain.referenceDistance!) < 1e-9);
    assert.equal(points[0]!.reference_image_id, empty.imageId);
  });
}

test('Siamese encoder through the API: trained on labeled pairs, calibrated, it measures the next distances', async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_WORKERS: '1' });
  const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
  const url = `/api/v1/plot-types/${plotType.id}/siamese`;
  const train = (payload: object, token = tokens.expert) =>
    app.inject({ method: 'POST', url, headers: auth(token), payload });
  const status = async () => (await app.inject({ url, headers: auth(tokens.viewer) })).json<SiameseStatus>();

  assert.deepEqual(await status(), {
    plotTypeId: plotType.id,
    reference: null,
    training: null,
    active: null,
  });
  assert.equal((await train({ epochs: 1 }, tokens.viewer)).statusCode, 403);
  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/v1/plot-types/999999/siamese',
        headers: auth(tokens.expert),
        payload: {},
      })
    ).statusCode,
    404,
  );
  const badShape = await train({ inputShape: [60, 64, 3] });
  assert.equal(badShape.statusCode, 400, badShape.body);
  assert.match(badShape.json<{ detail: string }>().detail, /multiples of 8/);
  const badRate = await train({ targetFalseAlarmRate: 0 });
  assert.equal(badRate.statusCode, 400, badRate.body);

  const good: number[] = [];
  const empty: number[] = [];
  for (let run = 1; run <= 44; run++) good.push(await upload(app, tokens.ingest, run));
  const noLabels = await train({ epochs: 1 });
  assert.equal(noLabels.statusCode, 400, noLabels.body);
  assert.match(noLabels.json<{ detail: string }>().detail, /has 0 labeled images in 0 classes/);
  for (let run = 100; run < 108; run++) empty.push(await upload(app, tokens.ingest, run, 'no-data'));
  await labelImages(app, tokens.labeler, good.slice(0, 16), 'Good');
  await labelImages(app, tokens.labeler, empty, 'NoData');
  await setReference(app, tokens.expert, plotType.id, good[0]!);

  const started = await train({ epochs: 2, batchSize: 8, targetFalseAlarmRate: 0.05, seed: 3 });
  assert.equal(started.statusCode, 202, started.body);
  const job = started.json<SiameseTraining>();
  assert.deepEqual(
    [job.status, job.trainImages, job.calibrationImages, job.classes, job.createdBy],
    ['training', 24, 52, ['Good', 'NoData'], 'test-expert'],
  );
  assert.equal((await train({ epochs: 1 })).statusCode, 409);
  const done = await waitFor(
    async () => {
      const body = await status();
      return body.training?.status !== 'training' && body;
    },
    {
      timeoutMs: 300_000,
      intervalMs: 500,
      what: 'the Siamese encoder to train',
    },
  );
  assert.equal(done.training?.status, 'completed', done.training?.error ?? '');
  assert.equal(done.training?.epoch, 2);
  assert.equal(done.reference, good[0]);
  assert.equal(done.active?.modelVersionId, done.training?.modelVersionId);
  assert.equal(done.active?.targetFalseAlarmRate, 0.05);
  assert.equal(done.active?.calibrationImages, 51, 'the distances of 52 recent plots from their medoid');
  assert.ok(done.active!.threshold > 0);

  // It is no classifier: activating it as one says how it is activated.
  const asClassifier = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotType.id}/versions/${done.active!.modelVersionId}/activate`,
    headers: auth(tokens.expert),
    payload: {},
  });
  assert.equal(asClassifier.statusCode, 400, asClassifier.body);
  assert.match(asClassifier.body, /is a Siamese encoder/);

  await registerBrightnessModel(app, tokens.expert, plotType.id);
  const [fresh, faulty] = [
    await predictionOf(app, tokens.viewer, await upload(app, tokens.ingest, 500)),
    await predictionOf(app, tokens.viewer, await upload(app, tokens.ingest, 501, 'no-data')),
  ];
  for (const prediction of [fresh, faulty]) {
    assert.equal(prediction.referenceModelVersionId, done.active!.modelVersionId);
    assert.equal(prediction.referenceImageId, good[0]);
    assert.equal(prediction.referenceAnomalous, prediction.referenceDistance! > done.active!.threshold);
  }
  assert.ok(faulty.referenceDistance! > fresh.referenceDistance!, 'an empty plot is farther than a good one');
});
