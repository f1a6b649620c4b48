import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import pg from 'pg';
import { Catalog } from '../../src/catalog/catalog.ts';
import { PostgresReplicaBus } from '../../src/replicas/postgres-bus.ts';
import type { ReplicaMessage } from '../../src/replicas/replica-bus.ts';
import { prepareEnvironment } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';

test('the replica bus: others hear a message, its sender does not; a name is held once; a dropped connection reconnects', async (t) => {
  const { databaseUrl, defer } = await prepareEnvironment(t, 'postgres');
  const catalog = Catalog.open(databaseUrl);
  defer(() => catalog.close());
  const start = async (instanceId: string) => {
    const bus = await PostgresReplicaBus.start({
      url: databaseUrl,
      instanceId,
      notify: (channel, payload) => catalog.notify(channel, payload),
      logger: pino({ level: 'silent' }),
    });
    defer(() => bus.close());
    const heard: Array<{ message: ReplicaMessage; from: string }> = [];
    bus.on('predictions', (message, from) => void heard.push({ message, from }));
    return { bus, heard };
  };
  const a = await start('bus-a');
  const b = await start('bus-b');

  a.bus.send({ type: 'predictions', ids: [1, 2, 3] });
  await waitFor(() => b.heard.length === 1, { what: 'B to hear A' });
  assert.deepEqual(b.heard, [{ message: { type: 'predictions', ids: [1, 2, 3] }, from: 'bus-a' }]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(a.heard, [], 'a replica does not hear itself');

  await assert.rejects(start('bus-a'), /another running replica on this catalog is named "bus-a"/);
  assert.throws(
    () => a.bus.send({ type: 'predictions', ids: Array.from({ length: 2000 }, (_, i) => 1_000_000 + i) }),
    /too long to notify/,
  );

  // PostgreSQL drops B's listening connection (a restart, a failover): B connects again and hears A again.
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  defer(() => admin.end());
  const terminated = await admin.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'hydra replica bus-b'",
  );
  assert.equal(terminated.rowCount, 1);
  await waitFor(
    async () => {
      a.bus.send({ type: 'predictions', ids: [4] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      return b.heard.some(({ message }) => message.type === 'predictions' && message.ids[0] === 4);
    },
    { what: 'B to hear A again after its connection was dropped' },
  );
  // It holds its name again: a second replica of that name is still refused.
  await assert.rejects(start('bus-b'), /named "bus-b"/);

  await a.bus.close();
  const again = await start('bus-a');
  assert.ok(again.bus.shared, 'a name is free again once its replica closed');
});
