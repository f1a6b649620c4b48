import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ImageWithPrediction, PredictionList, ServerStatus } from '../../src/schemas/index.ts';
import { auth, createPlotType, httpClient, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES, prepareEnvironment } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { ServerProcess } from '../helpers/server-process.ts';
import { InfluxServer, influxQuery, waitFor } from '../helpers/services.ts';

for (const engine of ENGINES) {
  describe(`reliability (${engine})`, () => {
    test('a server killed in the middle of a batch classifies every accepted image after a restart', async (t) => {
      const environment = await prepareEnvironment(t, engine, { HYDRA_BATCH_SIZE: '4', HYDRA_WORKERS: '1' });
      const server = await ServerProcess.start(environment.env);
      environment.defer(() => server.stop());
      const api = httpClient(server.url);
      const { tokens } = environment;
      const plotType = await createPlotType(api, tokens.admin, 'halld', 'CDC_occupancy');
      await registerBrightnessModel(api, tokens.expert, plotType.id);

      const total = 48;
      const uploads = await Promise.all(
        Array.from({ length: total }, async (_, i) => {
          const png = await plotPng({ brightness: i % 2 ? 0.8 : 0.2, seed: i + 1, width: 800, height: 600 });
          return uploadPlot(
            api,
            tokens.ingest,
            { deployment: 'halld', plotType: 'CDC_occupancy', run: '7' },
            png,
          );
        }),
      );
      assert.ok(uploads.every(({ response }) => response.statusCode === 201));

      const status = async () =>
        (await api.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })).json<ServerStatus>();
      // Kill as soon as some, but not all, images have their verdict.
      await waitFor(async () => (await status()).queue.classified > 0, {
        intervalMs: 5,
        what: 'a first verdict',
      });
      await server.kill();

      await server.start();
      const before = await status();
      assert.ok(before.queue.pending > 0, `the kill left images pending (${JSON.stringify(before.queue)})`);
      const after = await waitFor(
        async () => {
          const s = await status();
          return s.queue.pending === 0 && s;
        },
        { timeoutMs: 60_000, what: 'the queue to drain after the restart' },
      );
      assert.equal(after.queue.classified, total, JSON.stringify(after.queue));
      assert.equal(after.queue.failed, 0);
      const predictions = (
        await api.inject({ url: '/api/v1/predictions?limit=1000', headers: auth(tokens.viewer) })
      ).json<PredictionList>();
      assert.equal(predictions.items.length, total, 'one prediction per image, none twice');
      assert.equal(new Set(predictions.items.map((p) => p.imageId)).size, total);
    });
  });
}

test('an image that fails in the worker is marked failed with its reason; the rest of its batch is classified', async (t) => {
  // A long batch wait keeps the five images in one batch and gives time to spoil one file on disk.
  const { app, tokens, dataDir } = await buildTestApp(t, 'sqlite', {
    HYDRA_BATCH_WAIT_MS: '1500',
    HYDRA_BATCH_SIZE: '16',
  });
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_occupancy');
  await registerBrightnessModel(app, tokens.expert, plotType.id);
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { result } = await uploadPlot(
      app,
      tokens.ingest,
      { deployment: 'halld', plotType: 'FCAL_occupancy' },
      await plotPng({ brightness: 0.7, seed: 100 + i }),
    );
    ids.push(result!.image.id);
  }
  const victim = (
    await app.inject({ url: `/api/v1/images/${ids[2]}`, headers: auth(tokens.viewer) })
  ).json<ImageWithPrediction>();
  const file = path.join(dataDir, 'images', victim.image.sha256.slice(0, 2), `${victim.image.sha256}.png`);
  await fs.truncate(file, 100);

  const images = await waitFor(
    async () => {
      const all = await Promise.all(
        ids.map(async (id) =>
          (
            await app.inject({ url: `/api/v1/images/${id}`, headers: auth(tokens.viewer) })
          ).json<ImageWithPrediction>(),
        ),
      );
      return all.every((i) => i.image.status !== 'pending') && all;
    },
    { what: 'the batch to finish' },
  );
  for (const [i, { image, prediction }] of images.entries()) {
    if (i === 2) {
      assert.equal(image.status, 'failed');
      assert.match(image.error ?? '', /decode|corrupt|truncat|premature|read/i);
      assert.equal(prediction, null);
    } else {
      assert.equal(image.status, 'classified', `image ${i}`);
      assert.equal(prediction!.verdict, 'Good');
    }
  }
});

describe('InfluxDB outage', () => {
  test('points wait while InfluxDB is down and all arrive once, none twice, when it is back', async (t) => {
    const influx = await InfluxServer.create();
    t.after(() => influx.destroy());
    const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_INFLUX_URL: `${influx.url}/outage` });
    const plotType = await createPlotType(app, tokens.admin, 'halld', 'BCAL_timing');
    await registerBrightnessModel(app, tokens.expert, plotType.id);
    const status = async () =>
      (await app.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })).json<ServerStatus>();
    let seed = 0;
    const ingest = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await uploadPlot(
          app,
          tokens.ingest,
          { deployment: 'halld', plotType: 'BCAL_timing', run: '9' },
          await plotPng({ brightness: 0.6, seed: ++seed }),
        );
      }
      await waitFor(async () => (await status()).queue.pending === 0, { what: 'verdicts' });
    };

    await ingest(5);
    await waitFor(async () => (await status()).influx.written === 5, { what: 'the first points' });
    await influx.stop();
    await ingest(20);
    const down = await waitFor(
      async () => {
        const s = await status();
        return s.influx.failedWrites > 0 && s;
      },
      { what: 'a failed write' },
    );
    assert.equal(down.influx.healthy, false);
    assert.equal(down.influx.buffered, 20);
    // node-influx reports the refused connection, or, once its pool has backed off the host, that none is left.
    assert.match(down.influx.lastError ?? '', /ECONNREFUSED|connect|socket|No host available/i);

    await influx.start();
    await ingest(5);
    await waitFor(async () => (await status()).influx.buffered === 0, {
      timeoutMs: 40_000,
      what: 'the buffer to drain',
    });
    const rows = await influxQuery(influx.url, 'outage', 'SELECT image_id, verdict FROM hydra_prediction');
    assert.equal(rows.length, 30);
    assert.equal(new Set(rows.map((row) => row.image_id)).size, 30, 'no point twice');
    const final = await status();
    assert.equal(final.influx.healthy, true);
    assert.equal(final.influx.dropped, 0);
  });

  test('beyond the buffer the oldest points are dropped, and the drops are counted', async (t) => {
    const influx = await InfluxServer.create();
    t.after(() => influx.destroy());
    const { app, tokens } = await buildTestApp(t, 'sqlite', {
      HYDRA_INFLUX_URL: `${influx.url}/overflow`,
      HYDRA_INFLUX_BUFFER_MAX: '4',
    });
    await influx.stop();
    const plotType = await createPlotType(app, tokens.admin, 'halld', 'TAGH_rates');
    await registerBrightnessModel(app, tokens.expert, plotType.id);
    for (let i = 0; i < 10; i++) {
      await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: 'TAGH_rates' },
        await plotPng({ brightness: 0.4, seed: 500 + i }),
      );
    }
    const s = await waitFor(
      async () => {
        const current = (
          await app.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })
        ).json<ServerStatus>();
        return current.queue.classified === 10 && current;
      },
      { what: 'ten verdicts' },
    );
    assert.equal(s.influx.buffered, 4);
    assert.equal(s.influx.dropped, 6);
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /hydra_influx_points\{state="dropped"\} 6/);
  });
});
