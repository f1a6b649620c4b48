import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlotList, Prediction, PredictionList } from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { influxQuery, waitFor } from '../helpers/services.ts';
import { openEventStream } from '../helpers/sse.ts';

for (const engine of ENGINES) {
  describe(`image to verdict to InfluxDB (${engine})`, () => {
    test('posted plots are classified, stored, written to InfluxDB, streamed and shown per plot type', async (t) => {
      const { app, tokens, influxUrl, influxDatabase, defer } = await buildTestApp(t, engine);
      const occupancy = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      const timing = await createPlotType(app, tokens.admin, 'halld', 'FCAL_timing');
      await registerBrightnessModel(app, tokens.expert, occupancy.id);
      await registerBrightnessModel(app, tokens.expert, timing.id);

      const stream = await openEventStream<Prediction>({ app, defer }, tokens.viewer, '?deployment=halld');

      // Bright plots are Good and dark ones Bad under the brightness model.
      const plan = [
        { plotType: 'CDC_occupancy', brightness: 0.9, run: 131458 },
        { plotType: 'CDC_occupancy', brightness: 0.1, run: 131458 },
        { plotType: 'FCAL_timing', brightness: 0.8, run: 131458 },
        { plotType: 'CDC_occupancy', brightness: 0.85, run: 131459 },
        { plotType: 'FCAL_timing', brightness: 0.15, run: 131459 },
      ];
      const imageIds: number[] = [];
      for (const [i, step] of plan.entries()) {
        const { response, result } = await uploadPlot(
          app,
          tokens.ingest,
          { deployment: 'halld', plotType: step.plotType, run: String(step.run) },
          await plotPng({ brightness: step.brightness, seed: i + 1 }),
        );
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(result!.image.status, 'pending');
        imageIds.push(result!.image.id);
      }

      const predictions = await waitFor(
        async () => {
          const list = (
            await app.inject({ url: '/api/v1/predictions?deployment=halld', headers: auth(tokens.viewer) })
          ).json<PredictionList>();
          return list.items.length === plan.length && list.items;
        },
        { what: 'five predictions' },
      );
      const byImage = new Map(predictions.map((p) => [p.imageId, p]));
      for (const [i, step] of plan.entries()) {
        const prediction = byImage.get(imageIds[i]!)!;
        assert.equal(prediction.verdict, step.brightness > 0.5 ? 'Good' : 'Bad', `plot ${i}`);
        assert.equal(prediction.plotType, step.plotType);
        assert.equal(prediction.run, step.run);
        assert.ok(Math.abs(prediction.probabilities.Good! + prediction.probabilities.Bad! - 1) < 1e-4);
        assert.equal(prediction.confirmed, prediction.confidence >= 0.5);
        assert.ok(prediction.latencyMs >= 0);
      }
      const runFilter = (
        await app.inject({ url: '/api/v1/predictions?run=131459&verdict=Bad', headers: auth(tokens.viewer) })
      ).json<PredictionList>();
      assert.deepEqual(
        runFilter.items.map((p) => p.imageId),
        [imageIds[4]],
      );

      const image = (
        await app.inject({ url: `/api/v1/images/${imageIds[1]}`, headers: auth(tokens.viewer) })
      ).json();
      assert.equal(image.image.status, 'classified');
      assert.equal(image.prediction.verdict, 'Bad');

      await waitFor(() => stream.received.length >= plan.length, { what: 'SSE events' });
      assert.deepEqual(new Set(stream.received.map((p) => p.imageId)), new Set(imageIds));

      const plots = (
        await app.inject({ url: '/api/v1/plots?deployment=halld', headers: auth(tokens.viewer) })
      ).json<PlotList>();
      const latest = Object.fromEntries(plots.items.map((plot) => [plot.plotType.name, plot]));
      assert.equal(latest.CDC_occupancy!.image!.id, imageIds[3]);
      assert.equal(latest.CDC_occupancy!.prediction!.verdict, 'Good');
      assert.equal(latest.FCAL_timing!.image!.id, imageIds[4]);
      assert.equal(latest.FCAL_timing!.prediction!.verdict, 'Bad');
      assert.deepEqual(
        latest.FCAL_timing!.classes.map((c) => c.name),
        ['Good', 'Bad'],
      );

      const baseUrl = influxUrl.slice(0, influxUrl.lastIndexOf('/'));
      const points = await waitFor(
        async () => {
          const rows = await influxQuery(baseUrl, influxDatabase, 'SELECT * FROM hydra_prediction');
          return rows.length === plan.length && rows;
        },
        { what: 'points in InfluxDB' },
      );
      const fieldTypes = Object.fromEntries(
        (await influxQuery(baseUrl, influxDatabase, 'SHOW FIELD KEYS FROM hydra_prediction')).map((row) => [
          row.fieldKey,
          row.fieldType,
        ]),
      );
      assert.deepEqual(fieldTypes, {
        confidence: 'float',
        image_id: 'integer',
        latency_ms: 'float',
        p_Bad: 'float',
        p_Good: 'float',
        run: 'integer',
      });
      for (const point of points) {
        const prediction = predictions.find((p) => p.imageId === point.image_id)!;
        assert.ok(prediction, `point for image ${String(point.image_id)}`);
        assert.equal(point.verdict, prediction.verdict);
        assert.equal(point.plot_type, prediction.plotType);
        assert.equal(point.deployment, 'halld');
        assert.equal(point.model, 'brightness');
        assert.equal(point.run, prediction.run);
        assert.ok(Math.abs((point.p_Good as number) - prediction.probabilities.Good!) < 1e-9);
      }
    });
  });
}

test('images of a plot type with no active model are marked no_model', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  await createPlotType(app, tokens.admin, 'halld', 'TOF_paddles');
  const { response, result } = await uploadPlot(
    app,
    tokens.ingest,
    { deployment: 'halld', plotType: 'TOF_paddles' },
    await plotPng({ brightness: 0.5, seed: 1 }),
  );
  assert.equal(response.statusCode, 201);
  assert.equal(result!.image.status, 'no_model');
  const plots = (
    await app.inject({ url: '/api/v1/plots?deployment=halld', headers: auth(tokens.viewer) })
  ).json<PlotList>();
  assert.equal(plots.items[0]!.state, 'no_model');
});
