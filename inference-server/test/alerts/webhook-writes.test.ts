import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type { AlertAccepted, AlertEvent, AlertEventList } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { alertApp, buildAppWithWriter, RecordingPvWriter } from './alert-app.ts';
import { grafanaNotification, type AlertSpec } from './grafana.ts';

const CDC: AlertSpec = {
  status: 'firing',
  labels: { alertname: 'HydraPlotBad', deployment: 'halld', plot_type: 'cdc_occupancy', beam: 'on' },
  summary: 'cdc_occupancy confirmed Bad',
  fingerprint: 'c0ffee0000000001',
};
const FCAL_GROUP: AlertSpec = {
  status: 'firing',
  labels: { alertname: 'HydraPlotFlicker', deployment: 'halld', group: 'calorimetry' },
  summary: 'calorimetry flickers',
  fingerprint: 'c0ffee0000000002',
};
const NO_PLOT: AlertSpec = {
  status: 'firing',
  labels: { alertname: 'HydraNoImages', deployment: 'halld' },
  summary: 'no images for 10 min',
  fingerprint: 'c0ffee0000000003',
};
const resolved = (alert: AlertSpec): AlertSpec => ({ ...alert, status: 'resolved' });

const ALARM = 'TEST:halld:cdc_occupancy:ALARM';
const MESSAGE = 'TEST:ALERT_MESSAGE';

for (const engine of ENGINES) {
  describe(`Grafana webhook writes (${engine})`, () => {
    test('a good notification is recorded, answered 202, and its PVs written: firing 1, then resolved 0', async (t) => {
      const alert = await alertApp(t, { engine });
      const firing = await alert.send(grafanaNotification([CDC]));
      assert.equal(firing.statusCode, 202, firing.body);
      assert.deepEqual({ ...firing.json<AlertAccepted>(), eventId: 0 }, { eventId: 0, alerts: 1, writes: 2 });
      await alert.settled();
      assert.deepEqual(alert.writer.written(), [
        [ALARM, 1],
        [MESSAGE, 'FIRING cdc_occupancy confirmed Bad'],
      ]);

      // The same alert again (Grafana's repeat, a new timestamp and signature): recorded, nothing written.
      const repeat = await alert.send(grafanaNotification([CDC]), { nowMs: Date.now() + 1000 });
      assert.equal(repeat.statusCode, 202, repeat.body);
      assert.equal(repeat.json<AlertAccepted>().writes, 0);

      const resolvedResponse = await alert.send(grafanaNotification([resolved(CDC)]));
      assert.equal(resolvedResponse.json<AlertAccepted>().writes, 2);
      const events = await alert.settled();
      assert.deepEqual(alert.writer.written(), [
        [ALARM, 1],
        [MESSAGE, 'FIRING cdc_occupancy confirmed Bad'],
        [ALARM, 0],
        [MESSAGE, 'RESOLVED cdc_occupancy confirmed Bad'],
      ]);

      assert.equal(events.total, 3);
      const [last, repeated, first] = events.items as [AlertEvent, AlertEvent, AlertEvent];
      assert.deepEqual(
        events.items.map((e) => e.status),
        ['resolved', 'firing', 'firing'],
        'newest first',
      );
      assert.equal(first.receiver, 'hydra-epics');
      assert.match(first.groupKey, /HydraPlotBad/);
      assert.deepEqual(first.alerts, [
        {
          fingerprint: CDC.fingerprint,
          status: 'firing',
          labels: CDC.labels,
          summary: CDC.summary,
          alarmPv: ALARM,
          repeated: false,
        },
      ]);
      assert.deepEqual(
        first.writes.map((w) => [w.pv, w.value, w.status, w.attempts, w.lastError]),
        [
          [ALARM, 1, 'ok', 1, null],
          [MESSAGE, 'FIRING cdc_occupancy confirmed Bad', 'ok', 1, null],
        ],
      );
      assert.ok(first.writes.every((w) => w.writtenAt !== null));
      assert.ok(first.signedAt !== null && Date.parse(first.receivedAt) >= Date.parse(first.signedAt));
      assert.equal(repeated.alerts[0]?.repeated, true);
      assert.deepEqual(repeated.writes, []);
      assert.deepEqual(
        last.writes.map((w) => [w.pv, w.value]),
        [
          [ALARM, 0],
          [MESSAGE, 'RESOLVED cdc_occupancy confirmed Bad'],
        ],
      );
    });
  });
}

describe('Grafana webhook writes', () => {
  test('group labels, unmapped alerts, and one message for a group of changes', async (t) => {
    const alert = await alertApp(t);
    const response = await alert.send(grafanaNotification([CDC, FCAL_GROUP, NO_PLOT]));
    assert.equal(response.json<AlertAccepted>().writes, 3);
    const [event] = (await alert.settled()).items as [AlertEvent];
    assert.deepEqual(alert.writer.written(), [
      [ALARM, 1],
      ['TEST:halld:calorimetry:ALARM', 1],
      [MESSAGE, '[FIRING:3] HydraPlotBad'],
    ]);
    assert.equal(event.alerts[2]?.alarmPv, null);
    assert.deepEqual(event.notes, [
      'HydraNoImages (c0ffee0000000003) wrote the message only: no "plot_type" or "group" label',
    ]);

    // Later, one alert of the group resolves while the others still fire: only it is written.
    await alert.send(grafanaNotification([CDC, resolved(FCAL_GROUP), NO_PLOT]));
    await alert.settled();
    assert.deepEqual(alert.writer.written().slice(3), [
      ['TEST:halld:calorimetry:ALARM', 0],
      [MESSAGE, 'RESOLVED calorimetry flickers'],
    ]);

    // Paginated, newest first; readers need a token.
    const page = await alert.app.inject({
      url: '/api/v1/alerts?limit=1&offset=1',
      headers: auth(alert.tokens.viewer),
    });
    const older = page.json<AlertEventList>();
    assert.equal(older.total, 2);
    assert.deepEqual(
      older.items.map((e) => e.id),
      [event.id],
    );
    assert.equal((await alert.app.inject({ url: '/api/v1/alerts' })).statusCode, 401);
  });

  test('writes that fail are retried; one that keeps failing is recorded as failed, with why', async (t) => {
    const writer = new RecordingPvWriter();
    const alert = await alertApp(t, { writer, env: { HYDRA_ALERT_WRITE_ATTEMPTS: '3' } });
    writer.failNext = 2;
    await alert.send(grafanaNotification([CDC]));
    let [event] = (await alert.settled()).items as [AlertEvent];
    // Both writes go out together: the first two puts fail, the retries succeed.
    assert.deepEqual(
      event.writes.map((w) => [w.pv, w.status, w.attempts, w.lastError]),
      [
        [ALARM, 'ok', 2, null],
        [MESSAGE, 'ok', 2, null],
      ],
    );

    writer.failing = true;
    await alert.send(grafanaNotification([resolved(CDC)]));
    [event] = (await alert.settled()).items as [AlertEvent];
    assert.deepEqual(
      event.writes.map((w) => [w.pv, w.status, w.attempts, w.lastError, w.writtenAt]),
      [
        [ALARM, 'failed', 3, 'disconnected', null],
        [MESSAGE, 'failed', 3, 'disconnected', null],
      ],
    );
    assert.equal(writer.puts.filter((p) => p.pv === ALARM).length, 2 + 3);
  });

  test('a newer write to a PV supersedes an older one still waiting for its retry', async (t) => {
    const writer = new RecordingPvWriter();
    const alert = await alertApp(t, { writer, env: { HYDRA_ALERT_RETRY_MS: '60000' } });
    writer.failing = true;
    await alert.send(grafanaNotification([CDC]));
    await waitFor(() => writer.puts.length === 2, { what: 'the first attempts' });
    writer.failing = false;
    await alert.send(grafanaNotification([resolved(CDC)]));
    const [newer, older] = (await alert.settled()).items as [AlertEvent, AlertEvent];
    assert.deepEqual(
      older.writes.map((w) => w.status),
      ['superseded', 'superseded'],
    );
    assert.deepEqual(
      newer.writes.map((w) => w.status),
      ['ok', 'ok'],
    );
    assert.deepEqual(writer.written(), [
      [ALARM, 0],
      [MESSAGE, 'RESOLVED cdc_occupancy confirmed Bad'],
    ]);
  });

  test('pending writes resume after a restart on the same data folder', async (t) => {
    const downWriter = new RecordingPvWriter();
    downWriter.failing = true;
    const alert = await alertApp(t, { writer: downWriter, env: { HYDRA_ALERT_RETRY_MS: '60000' } });
    await alert.send(grafanaNotification([CDC]));
    await waitFor(() => downWriter.puts.length === 2, { what: 'the first attempts' });
    await alert.app.close();

    const upWriter = new RecordingPvWriter();
    const restarted = await buildAppWithWriter(loadConfig(alert.env), upWriter);
    alert.defer(() => restarted.close());
    await waitFor(() => upWriter.puts.length === 2, { what: 'the resumed writes' });
    assert.deepEqual(upWriter.written(), [
      [ALARM, 1],
      [MESSAGE, 'FIRING cdc_occupancy confirmed Bad'],
    ]);
    const listed = await restarted.inject({ url: '/api/v1/alerts', headers: auth(alert.tokens.viewer) });
    const [event] = listed.json<AlertEventList>().items as [AlertEvent];
    assert.deepEqual(
      event.writes.map((w) => [w.status, w.attempts]),
      [
        ['ok', 2],
        ['ok', 2],
      ],
    );
  });
});
