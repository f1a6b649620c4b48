import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerStatus } from '../../src/schemas/index.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { influxQuery, waitFor } from '../helpers/services.ts';

const influxBase = (url: string, database: string) => url.slice(0, -database.length - 1);

test('the server writes a hydra_server point with what /api/v1/status knows, on its interval', async (t) => {
  const { app, influxUrl, influxDatabase, tokens } = await buildTestApp(t, 'sqlite', {
    HYDRA_INFLUX_SERVER_INTERVAL_MS: '200',
  });
  const base = influxBase(influxUrl, influxDatabase);
  const rows = await waitFor(
    async () => {
      const found = await influxQuery(base, influxDatabase, 'SELECT * FROM "hydra_server"');
      return found.length >= 2 && found;
    },
    { what: 'two hydra_server points' },
  );
  const status = (
    await app.inject({ url: '/api/v1/status', headers: { authorization: `Bearer ${tokens.viewer}` } })
  ).json<ServerStatus>();
  const last = rows.at(-1)!;
  assert.equal(last.instance, status.instance);
  assert.equal(last.backend, status.backend.name);
  assert.equal(last.version, status.version);
  assert.equal(last.workers, status.workers.size);
  assert.equal(last.queue_pending, status.queue.pending);
  assert.equal(last.images_classified, status.queue.classified);
  assert.equal(last.catalog_healthy, 1);
  assert.equal(last.influx_healthy, 1);
  assert.equal(last.latency_p50_ms ?? null, null, 'no latency field while nothing was classified');
  const sinks = Object.keys(status.verdictSinks);
  assert.ok(sinks.includes('influxdb'));
  for (const sink of sinks) assert.equal(last[`sink_failures_${sink.replace(/\W/g, '_')}`], 0, sink);
  assert.equal(last.sink_failures, 0);
  const times = rows.map((row) => Date.parse(row.time as string));
  assert.ok(times.at(-1)! - times.at(-2)! >= 150, `points ${times.at(-1)! - times.at(-2)!} ms apart`);
});

test('HYDRA_INFLUX_SERVER_INTERVAL_MS=0 writes no hydra_server point', async (t) => {
  const { app, influxUrl, influxDatabase } = await buildTestApp(t, 'sqlite', {
    HYDRA_INFLUX_SERVER_INTERVAL_MS: '0',
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await app.pointWriter!.flush();
  const base = influxBase(influxUrl, influxDatabase);
  const found = await influxQuery(base, influxDatabase, 'SHOW MEASUREMENTS').catch(() => []);
  assert.ok(!found.some((row) => row.name === 'hydra_server'), JSON.stringify(found));
});
