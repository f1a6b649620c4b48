import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ServerStatus } from '../../../../src/schemas/index.ts';
import { auth } from '../../../helpers/api.ts';
import { buildTestApp } from '../../../helpers/build-app.ts';
import { freePort } from '../../../helpers/services.ts';

const influxOf = async (app: FastifyInstance, token: string) => {
  const response = await app.inject({ url: '/api/v1/status', headers: auth(token) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<ServerStatus>().influx;
};

describe('/api/v1/status: InfluxDB health from a ping', () => {
  test('a reachable InfluxDB: healthy before any write, with the ping latency and version; one ping serves a few seconds', async (t) => {
    const { app, tokens } = await buildTestApp(t);
    const before = Date.now();
    const influx = await influxOf(app, tokens.viewer);
    assert.equal(influx.healthy, true);
    assert.equal(influx.written, 0);
    assert.equal(influx.lastWriteAt, null, 'nothing written yet');
    assert.ok(influx.ping, 'the ping is shown');
    assert.equal(influx.ping.reachable, true);
    assert.equal(influx.ping.error, null);
    assert.ok(influx.ping.latencyMs !== null && influx.ping.latencyMs >= 0 && influx.ping.latencyMs < 1000);
    assert.match(influx.ping.version ?? '', /^\d+\.\d+/);
    assert.ok(Date.parse(influx.ping.checkedAt) >= before);

    const again = await influxOf(app, tokens.viewer);
    assert.equal(again.ping?.checkedAt, influx.ping.checkedAt, 'the cached ping, not a new one');
  });

  test('an InfluxDB that does not answer is unhealthy at once, though no write has failed yet', async (t) => {
    const closedPort = await freePort();
    const { app, tokens } = await buildTestApp(t, 'sqlite', {
      HYDRA_INFLUX_URL: `http://127.0.0.1:${closedPort}/hydra`,
    });
    const influx = await influxOf(app, tokens.viewer);
    assert.equal(influx.failedWrites, 0);
    assert.equal(influx.lastError, null);
    assert.equal(influx.healthy, false);
    assert.equal(influx.ping?.reachable, false);
    assert.equal(influx.ping?.latencyMs, null);
    assert.match(influx.ping?.error ?? '', /no answer to \/ping \(refused, or none within 1000 ms\)/);
  });

  test('without InfluxDB there is no ping', async (t) => {
    const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_INFLUX_URL: '' });
    const influx = await influxOf(app, tokens.viewer);
    assert.equal(influx.enabled, false);
    assert.equal(influx.ping, null);
    assert.equal(influx.healthy, false);
  });
});
