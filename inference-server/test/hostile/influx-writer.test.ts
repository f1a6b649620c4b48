import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import Fastify from 'fastify';
import { PointWriter } from '../../src/influx/point-writer.ts';
import { influxQuery, sharedInfluxUrl, waitFor } from '../helpers/services.ts';

// A refused point must not block the others: a field type conflict is a point InfluxDB (real) refuses with 400.
test('a point InfluxDB refuses is dropped and counted, and the good points of its batch and the next batch land', async (t) => {
  const influx = await sharedInfluxUrl();
  const database = `hydra_hostile_${randomBytes(4).toString('hex')}`;
  const writer = (integerFields: Record<string, string[]>) => {
    const created = new PointWriter({
      url: `${influx}/${database}`,
      flushIntervalMs: 60_000,
      batchSize: 100,
      maxBuffered: 1000,
      integerFields,
      logger: Fastify({ logger: false }).log,
    });
    t.after(() => created.close());
    return created;
  };
  const point = (measurement: string, value: number, second: number) => ({
    measurement,
    tags: { source: 'hostile' },
    fields: { x: value },
    timestamp: String(BigInt(1_700_000_000 + second) * 1_000_000_000n),
  });

  // x is a float in InfluxDB from here on.
  const first = writer({});
  first.write([point('conflict', 1.5, 0)]);
  await first.flush();
  assert.equal(first.status().written, 1);

  // This writer sends x as an integer: InfluxDB refuses that point, and must still take the ones around it.
  const second = writer({ conflict: ['x'] });
  second.write([point('good', 1, 1), point('conflict', 2, 2), point('good', 3, 3), point('good', 4, 4)]);
  await second.flush();
  let status = second.status();
  assert.equal(status.rejected, 1, JSON.stringify(status));
  assert.equal(status.written, 3);
  assert.equal(status.buffered, 0, 'the refused point is not kept for a retry');
  assert.equal(status.healthy, true);

  second.write([point('good', 5, 5)]);
  await second.flush();
  status = second.status();
  assert.equal(status.written, 4);
  assert.equal(status.rejected, 1);
  const rows = await waitFor(
    async () => {
      const found = await influxQuery(influx, database, 'SELECT x FROM good');
      return found.length === 4 && found;
    },
    { what: 'the good points in InfluxDB' },
  );
  assert.deepEqual(
    rows.map((row) => row.x),
    [1, 3, 4, 5],
  );
  assert.deepEqual(
    (await influxQuery(influx, database, 'SELECT x FROM conflict')).map((row) => row.x),
    [1.5],
  );
});
