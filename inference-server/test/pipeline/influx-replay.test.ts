import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { ENGINES, prepareEnvironment } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { freePort, influxQuery, sharedInfluxUrl, waitFor } from '../helpers/services.ts';

for (const engine of ENGINES) {
  describe(`InfluxDB is derived from the catalog (${engine})`, () => {
    test('points InfluxDB never acknowledged before a shutdown are sent at the next start', async (t) => {
      // First life: InfluxDB cannot be reached, so the verdict's point is never acknowledged.
      const unreachable = `http://127.0.0.1:${await freePort()}/hydra_replay`;
      const { env, tokens, defer } = await prepareEnvironment(t, engine, { HYDRA_INFLUX_URL: unreachable });
      const first = await buildApp(loadConfig(env));
      const plotType = await createPlotType(first, tokens.admin, 'halld', 'CDC_occupancy');
      await registerBrightnessModel(first, tokens.expert, plotType.id);
      const { result } = await uploadPlot(
        first,
        tokens.ingest,
        { deployment: 'halld', plotType: 'CDC_occupancy', run: '131458' },
        await plotPng({ brightness: 0.2, seed: 4 }),
      );
      const imageId = result!.image.id;
      const verdict = await waitFor(() => first.catalog.predictions.latestForImage(imageId), {
        what: 'the verdict',
      });
      assert.equal(first.influxStatus().written, 0);
      await first.close();

      // Second life, with InfluxDB up: the point arrives without any new upload.
      const database = `hydra_replay_${engine}_${Date.now()}`;
      const baseUrl = await sharedInfluxUrl();
      const second = await buildApp(loadConfig({ ...env, HYDRA_INFLUX_URL: `${baseUrl}/${database}` }));
      defer(() => second.close());
      const rows = await waitFor(
        async () => {
          const found = await influxQuery(
            baseUrl,
            database,
            'SELECT image_id, verdict FROM hydra_prediction',
          );
          return found.length > 0 && found;
        },
        { what: 'the re-sent point' },
      );
      assert.deepEqual(
        rows.map((row) => [row.image_id, row.verdict]),
        [[imageId, verdict.verdict]],
      );
      await waitFor(async () => (await second.catalog.predictions.withUnwrittenPoints(0, 10)).length === 0, {
        what: 'the prediction marked as written',
      });
    });
  });
}
