// The autoencoder through the API: trained on a plot type's unlabeled images and calibrated, it scores every later
// verdict beside it (catalog and API fields), and serves its error map like Grad-CAM.
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type {
  AnomalyMap,
  AutoencoderStatus,
  AutoencoderTraining,
  ImageWithPrediction,
} from '../../../../src/schemas/index.ts';
import { simulatePlot } from '../../../../src/simulator/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../../../helpers/api.ts';
import { buildTestApp, ENGINES } from '../../../helpers/build-app.ts';
import { influxQuery, waitFor } from '../../../helpers/services.ts';

const KIND = 'FCAL_occupancy';
const RECENT = 150;

for (const engine of ENGINES) {
  test(`autoencoder on ${engine}: trained without labels, calibrated, its score beside each new verdict and its map served`, async (t) => {
    const { app, tokens, config, influxUrl, influxDatabase } = await buildTestApp(t, engine, {
      HYDRA_WORKERS: '1',
    });
    const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
    const upload = async (run: number, fault?: 'no-data') => {
      const plot = await simulatePlot({
        kind: KIND,
        run,
        seed: 5,
        ...(fault && { fault: { mode: fault, strength: 'normal' } }),
      });
      const { result } = await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: KIND, run: String(run) },
        plot.png,
      );
      return result!.image.id;
    };
    const ids: number[] = [];
    for (let run = 1; run < RECENT; run++) ids.push(await upload(run));
    const trainUrl = `/api/v1/plot-types/${plotType.id}/autoencoder`;
    const train = (payload: object, token = tokens.expert) =>
      app.inject({ method: 'POST', url: trainUrl, headers: auth(token), payload });

    // Before any autoencoder: the map says how to get one; too few images say how many are needed.
    const noModel = await app.inject({
      url: `/api/v1/images/${ids[0]}/anomaly`,
      headers: auth(tokens.viewer),
    });
    assert.equal(noModel.statusCode, 409, noModel.body);
    assert.match(noModel.json<{ detail: string }>().detail, /has no autoencoder: train one with POST/);
    const tooFew = await train({ epochs: 1 });
    assert.equal(tooFew.statusCode, 400, tooFew.body);
    assert.match(
      tooFew.json<{ detail: string }>().detail,
      /has 149 images; an autoencoder needs at least 150/,
    );
    assert.equal((await train({ epochs: 1 }, tokens.viewer)).statusCode, 403);
    const badShape = await train({ inputShape: [60, 64, 3] });
    assert.equal(badShape.statusCode, 400, badShape.body);
    assert.match(badShape.body, /multiples of 8/);

    ids.push(await upload(RECENT));
    const started = await train({ epochs: 2, batchSize: 16, targetFalseAlarmRate: 0.02, seed: 3 });
    assert.equal(started.statusCode, 202, started.body);
    assert.deepEqual(
      { ...started.json<AutoencoderTraining>(), startedAt: undefined },
      {
        status: 'training',
        epoch: 0,
        epochs: 2,
        loss: null,
        trainImages: 100,
        calibrationImages: 50,
        error: null,
        modelVersionId: null,
        baseWeights: null,
        createdBy: 'test-expert',
        startedAt: undefined,
        finishedAt: null,
      },
    );
    assert.equal((await train({ epochs: 1 })).statusCode, 409);
    const status = await waitFor(
      async () => {
        const body = (
          await app.inject({ url: trainUrl, headers: auth(tokens.viewer) })
        ).json<AutoencoderStatus>();
        return body.training?.status !== 'training' && body;
      },
      { timeoutMs: 300_000, intervalMs: 500, what: 'the autoencoder to train' },
    );
    assert.equal(status.training?.status, 'completed', status.training?.error ?? '');
    assert.equal(status.training?.epoch, 2);
    assert.equal(status.active?.modelVersionId, status.training?.modelVersionId);
    assert.equal(status.active?.targetFalseAlarmRate, 0.02);
    assert.equal(status.active?.calibrationImages, 50);
    assert.ok(status.active!.threshold > 0);
    // Its encoder is there for a classifier to start from (`baseWeights`).
    await access(path.join(config.HYDRA_DATA_DIR, 'weights', status.training!.baseWeights!, 'model.json'));

    // It is no classifier: activating it as one is refused with the way to activate it.
    const asClassifier = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/versions/${status.active!.modelVersionId}/activate`,
      headers: auth(tokens.expert),
      payload: {},
    });
    assert.equal(asClassifier.statusCode, 400, asClassifier.body);
    assert.match(asClassifier.body, /is an autoencoder/);

    // With a classifier active, new verdicts carry the autoencoder's score beside them.
    await registerBrightnessModel(app, tokens.expert, plotType.id);
    const fresh = [await upload(1000), await upload(1001, 'no-data')];
    const verdicts = await Promise.all(
      fresh.map((id) =>
        waitFor(
          async () => {
            const body = (
              await app.inject({ url: `/api/v1/images/${id}`, headers: auth(tokens.viewer) })
            ).json<ImageWithPrediction>();
            return body.prediction ?? false;
          },
          { timeoutMs: 60_000, intervalMs: 100, what: `the verdict of image ${id}` },
        ),
      ),
    );
    for (const verdict of verdicts) {
      assert.equal(verdict.anomalyModelVersionId, status.active!.modelVersionId);
      assert.equal(typeof verdict.anomalyScore, 'number');
      assert.equal(verdict.anomalous, verdict.anomalyScore! > status.active!.threshold);
      assert.ok(['Good', 'Bad'].includes(verdict.verdict), 'the supervised verdict is untouched');
    }
    assert.equal(verdicts[1]!.anomalous, true, 'an empty plot is anomalous');
    // InfluxDB's point carries them as fields beside the verdict's, for Grafana to trend and alert on.
    const points = await waitFor(
      async () => {
        const found = await influxQuery(
          influxUrl.slice(0, -influxDatabase.length - 1),
          influxDatabase,
          `SELECT anomaly_score, anomalous, verdict FROM hydra_prediction WHERE image_id = ${fresh[1]}`,
        );
        return found.length > 0 && found;
      },
      { timeoutMs: 30_000, what: 'the point of the empty plot' },
    );
    assert.equal(points[0]!.anomalous, 1);
    assert.ok(Math.abs((points[0]!.anomaly_score as number) - verdicts[1]!.anomalyScore!) < 1e-6);
    assert.equal(points[0]!.verdict, verdicts[1]!.verdict);

    // The map, as JSON and as an overlay: the score it gives is the verdict's.
    const json = await app.inject({
      url: `/api/v1/images/${fresh[1]}/anomaly?format=json`,
      headers: auth(tokens.viewer),
    });
    assert.equal(json.statusCode, 200, json.body);
    const map = json.json<AnomalyMap>();
    assert.equal(map.width * map.height, map.values.length);
    assert.deepEqual([map.width, map.height], [64, 64]);
    assert.ok(Math.abs(map.score - verdicts[1]!.anomalyScore!) < 1e-4 * map.score);
    assert.equal(map.anomalous, true);
    const png = await app.inject({ url: `/api/v1/images/${fresh[1]}/anomaly`, headers: auth(tokens.viewer) });
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    const missing = await app.inject({ url: '/api/v1/images/999999/anomaly', headers: auth(tokens.viewer) });
    assert.equal(missing.statusCode, 404);
  });
}
