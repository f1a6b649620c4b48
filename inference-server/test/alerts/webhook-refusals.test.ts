import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlertAccepted, Problem } from '../../src/schemas/index.ts';
import { alertApp, type AlertApp, SECRET } from './alert-app.ts';
import { grafanaHeaders, grafanaNotification } from './grafana.ts';

const FIRING = grafanaNotification([
  {
    status: 'firing',
    labels: { alertname: 'HydraPlotBad', deployment: 'halld', plot_type: 'cdc_occupancy' },
    summary: 'cdc_occupancy confirmed Bad',
    fingerprint: 'a1b2c3d4e5f60708',
  },
]);

/** The refusal is a 401 problem, and nothing was recorded or written. */
async function assertRefused(
  alert: AlertApp,
  response: Awaited<ReturnType<AlertApp['send']>>,
  detail: RegExp,
) {
  assert.equal(response.statusCode, 401, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.match(response.json<Problem>().detail, detail);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await alert.list()).total, 0);
  assert.deepEqual(alert.writer.puts, []);
}

describe('Grafana webhook refusals', () => {
  test('a bad signature, a missing one, a stale or future timestamp: 401, no event, no write', async (t) => {
    const alert = await alertApp(t);
    await assertRefused(alert, await alert.send(FIRING, { secret: 'another secret' }), /does not match/);
    await assertRefused(
      alert,
      await alert.send(FIRING, { headers: { 'X-Grafana-Alerting-Signature': '' } }),
      /no signature header X-Grafana-Alerting-Signature/,
    );
    const tenMinutesAgo = Date.now() - 600_000;
    await assertRefused(alert, await alert.send(FIRING, { nowMs: tenMinutesAgo }), /signed 60[01] s ago/);
    await assertRefused(
      alert,
      await alert.send(FIRING, { nowMs: Date.now() + 600_000 }),
      /(599|600) s in the future/,
    );
    await assertRefused(
      alert,
      await alert.send(FIRING, { headers: { 'X-Grafana-Alerting-Timestamp': 'yesterday' } }),
      /must hold Unix seconds/,
    );
    // A body changed after signing: the signature covers every byte.
    const body = Buffer.from(JSON.stringify(FIRING));
    const headers = grafanaHeaders(body, { secret: SECRET, timestampHeader: 'X-Grafana-Alerting-Timestamp' });
    const tampered = Buffer.from(JSON.stringify({ ...FIRING, receiver: 'someone-else' }));
    await assertRefused(
      alert,
      await alert.app.inject({ method: 'POST', url: '/api/v1/alerts/grafana', headers, payload: tampered }),
      /does not match/,
    );
  });

  test('a replay of a good notification: 401, and the event is recorded once', async (t) => {
    const alert = await alertApp(t);
    const body = Buffer.from(JSON.stringify(FIRING));
    const headers = grafanaHeaders(body, { secret: SECRET, timestampHeader: 'X-Grafana-Alerting-Timestamp' });
    const post = () =>
      alert.app.inject({ method: 'POST', url: '/api/v1/alerts/grafana', headers, payload: body });
    assert.equal((await post()).statusCode, 202);
    const events = await alert.settled();
    const replay = await post();
    assert.equal(replay.statusCode, 401, replay.body);
    assert.match(replay.json<Problem>().detail, /a replay/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await alert.list(), events);
    assert.equal(alert.writer.puts.length, 2);
  });

  test('an empty secret refuses every notification, and says so', async (t) => {
    const alert = await alertApp(t, { env: { HYDRA_ALERT_WEBHOOK_SECRET: '' } });
    await assertRefused(alert, await alert.send(FIRING, { secret: '' }), /no webhook secret configured/);
  });

  test('with no timestamp header configured, the body alone is signed', async (t) => {
    const alert = await alertApp(t, { env: { HYDRA_ALERT_TIMESTAMP_HEADER: '' } });
    const body = Buffer.from(JSON.stringify(FIRING));
    const headers = grafanaHeaders(body, { secret: SECRET });
    assert.equal(Object.keys(headers).length, 2, 'no timestamp header is sent');
    const response = await alert.app.inject({
      method: 'POST',
      url: '/api/v1/alerts/grafana',
      headers,
      payload: body,
    });
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(response.json<AlertAccepted>().writes, 2);
    const [event] = (await alert.settled()).items;
    assert.equal(event?.signedAt, null);
  });

  test('a body signed with a timestamp is refused when the server expects none', async (t) => {
    const alert = await alertApp(t, { env: { HYDRA_ALERT_TIMESTAMP_HEADER: '' } });
    const body = Buffer.from(JSON.stringify(FIRING));
    const headers = grafanaHeaders(body, { secret: SECRET, timestampHeader: 'X-Grafana-Alerting-Timestamp' });
    await assertRefused(
      alert,
      await alert.app.inject({ method: 'POST', url: '/api/v1/alerts/grafana', headers, payload: body }),
      /does not match/,
    );
  });

  test('signed but malformed JSON, or JSON that is not a Grafana notification: 400 that says what is wrong', async (t) => {
    const alert = await alertApp(t);
    const post = (text: string) => {
      const body = Buffer.from(text);
      const headers = grafanaHeaders(body, {
        secret: SECRET,
        timestampHeader: 'X-Grafana-Alerting-Timestamp',
      });
      return alert.app.inject({ method: 'POST', url: '/api/v1/alerts/grafana', headers, payload: body });
    };
    const malformed = await post('{"receiver": "hydra-epics", "alerts": [');
    assert.equal(malformed.statusCode, 400, malformed.body);
    assert.match(malformed.json<Problem>().detail, /not valid JSON/);

    const poisoned = await post(`{"__proto__": {"admin": true}, ${JSON.stringify(FIRING).slice(1)}`);
    assert.equal(poisoned.statusCode, 400, poisoned.body);
    assert.match(poisoned.json<Problem>().detail, /__proto__/);

    const { alerts, ...withoutAlerts } = FIRING;
    assert.ok(alerts);
    const notPayload = await post(JSON.stringify(withoutAlerts));
    assert.equal(notPayload.statusCode, 400, notPayload.body);
    assert.match(notPayload.json<Problem>().detail, /alerts/);

    const badStatus = await post(
      JSON.stringify({ ...FIRING, alerts: [{ ...FIRING.alerts[0], status: 'pending' }] }),
    );
    assert.equal(badStatus.statusCode, 400, badStatus.body);
    assert.match(badStatus.json<Problem>().detail, /alerts\/0\/status/);
    assert.equal((await alert.list()).total, 0);
  });

  test('unknown fields are accepted, as newer Grafanas add them', async (t) => {
    const alert = await alertApp(t);
    const response = await alert.send({
      ...FIRING,
      alerts: [{ ...FIRING.alerts[0], enrichments: { owner: 'cdc' } }],
      futureField: [1, 2, 3],
    });
    assert.equal(response.statusCode, 202, response.body);
  });

  test('a body over the limit: 413, before any signature or JSON work', async (t) => {
    const alert = await alertApp(t, { env: { HYDRA_ALERT_BODY_LIMIT_BYTES: '4096' } });
    const large = { ...FIRING, message: 'x'.repeat(8192) };
    const response = await alert.send(large);
    assert.equal(response.statusCode, 413, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.match(response.json<Problem>().detail, /larger than 4,096 bytes \(HYDRA_ALERT_BODY_LIMIT_BYTES\)/);
    assert.equal((await alert.list()).total, 0);
    // Just under the limit goes through.
    assert.equal((await alert.send({ ...FIRING, message: 'x'.repeat(1024) })).statusCode, 202);
  });
});
