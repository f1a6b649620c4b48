import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Prediction, ServerStatus } from '../../src/schemas/index.ts';
import type { Verdict } from '../../src/pipeline/verdict.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { influxQuery, waitFor } from '../helpers/services.ts';
import { openEventStream } from '../helpers/sse.ts';

for (const engine of ENGINES) {
  describe(`verdict sinks (${engine})`, () => {
    test('a sink that throws, and one that rejects, stop no other sink; the image stays classified and the failures are counted', async (t) => {
      const { app, tokens, influxUrl, influxDatabase, defer } = await buildTestApp(t, engine);
      const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      await registerBrightnessModel(app, tokens.expert, plotType.id);
      const received: Verdict[] = [];
      app.verdictSinks.add({
        name: 'throws',
        accept: () => {
          throw new Error('this sink always throws');
        },
      });
      app.verdictSinks.add({ name: 'rejects', accept: () => Promise.reject(new Error('this sink rejects')) });
      app.verdictSinks.add({ name: 'records', accept: (verdicts) => void received.push(...verdicts) });

      const stream = await openEventStream<Prediction>({ app, defer }, tokens.viewer, '?deployment=halld');

      const { result } = await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: 'CDC_occupancy', run: '131458' },
        await plotPng({ brightness: 0.1, seed: 3 }),
      );
      const imageId = result!.image.id;
      await waitFor(() => received.length === 1, { what: 'the recording sink to receive the verdict' });

      const verdict = received[0]!;
      assert.equal(verdict.imageId, imageId);
      assert.equal(verdict.verdict, 'Bad');
      assert.equal(verdict.plotType, 'CDC_occupancy');
      assert.equal(verdict.deployment, 'halld');
      assert.equal(verdict.model, 'brightness');
      assert.equal(verdict.kind, 'classifier');
      assert.equal((await app.catalog.images.get(imageId)).status, 'classified');

      // The built-in sinks after the throwing ones still ran: live stream, InfluxDB, stats.
      const event = await waitFor(() => stream.received.find((e) => e.imageId === imageId), {
        what: 'the live event',
      });
      assert.equal(event.kind, 'classifier');
      const rows = await waitFor(
        async () => {
          const series = await influxQuery(
            influxUrl.slice(0, influxUrl.lastIndexOf('/')),
            influxDatabase,
            `SELECT image_id FROM hydra_prediction WHERE kind = 'classifier'`,
          );
          return series.length > 0 && series;
        },
        { what: 'the InfluxDB point' },
      );
      assert.ok(JSON.stringify(rows).includes(String(imageId)));

      const status = (
        await app.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })
      ).json<ServerStatus>();
      assert.equal(status.throughput.classifiedLastMinute, 1, 'the stats sink ran');
      assert.deepEqual(status.verdictSinks, {
        influxdb: { failures: 0 },
        'live-events': { failures: 0 },
        stats: { failures: 0 },
        gradcam: { failures: 0 },
        throws: { failures: 1 },
        rejects: { failures: 1 },
        records: { failures: 0 },
      });
      const metrics = (await app.inject({ url: '/metrics' })).body;
      assert.match(metrics, /^hydra_verdict_sink_failures\{sink="throws"\} 1$/m);
      assert.match(metrics, /^hydra_verdict_sink_failures\{sink="rejects"\} 1$/m);
      assert.match(metrics, /^hydra_verdict_sink_failures\{sink="influxdb"\} 0$/m);
    });
  });
}
