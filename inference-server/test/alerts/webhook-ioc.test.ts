import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertEventList } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { EpicsIoc, numericPv, stringPv } from '../helpers/epics-ioc.ts';
import { waitFor } from '../helpers/services.ts';
import { postSigned, SECRET } from './alert-app.ts';
import { grafanaNotification, type AlertSpec } from './grafana.ts';

const ALARM = 'TEST:halld:cdc_occupancy:ALARM';
const MESSAGE = 'TEST:ALERT_MESSAGE';
const CDC: AlertSpec = {
  status: 'firing',
  labels: { alertname: 'HydraPlotBad', deployment: 'halld', plot_type: 'cdc_occupancy' },
  summary: 'cdc_occupancy confirmed Bad while the beam is on',
  fingerprint: 'feedface00000001',
};

test('a signed Grafana notification changes the alarm and message PVs of a real IOC, as caget reads them', async (t) => {
  const ioc = await EpicsIoc.start([numericPv(ALARM, -1), stringPv(MESSAGE, 'none')]);
  const server = ioc.serverConfig();
  const { app, config, tokens } = await buildTestApp(t, 'sqlite', {
    HYDRA_EPICS_CA_ADDR_LIST: server.HYDRA_EPICS_CA_ADDR_LIST,
    HYDRA_EPICS_CA_SERVER_PORT: String(server.HYDRA_EPICS_CA_SERVER_PORT),
    HYDRA_EPICS_PV_PREFIX: 'TEST:',
    HYDRA_EPICS_PUT_TIMEOUT_MS: '1000',
    HYDRA_EPICS_RECONNECT_MAX_MS: '500',
    HYDRA_ALERT_WEBHOOK_SECRET: SECRET,
    HYDRA_ALERT_RETRY_MS: '100',
    HYDRA_ALERT_WRITE_ATTEMPTS: '20',
  }).catch(async (error: unknown) => {
    await ioc.stop();
    throw error;
  });
  // After the app's own cleanup (t.after runs in order): the server closes its channels while the IOC is up.
  t.after(() => ioc.stop());

  const firing = await postSigned(app, config, grafanaNotification([CDC]));
  assert.equal(firing.statusCode, 202, firing.body);
  // The two PVs are written concurrently (and retried apart), so each is awaited on its own.
  await waitFor(async () => (await ioc.cagetNumber(ALARM)) === 1, { what: `caget ${ALARM} = 1` });
  // stringout holds 39 characters: the message is cut to fit.
  const firingMessage = 'FIRING cdc_occupancy confirmed Bad whil';
  await waitFor(async () => (await ioc.caget(MESSAGE)) === firingMessage, { what: `caget ${MESSAGE}` });

  // A forged "resolved" (wrong secret) is refused and leaves the IOC as it was.
  const forged = await postSigned(app, config, grafanaNotification([{ ...CDC, status: 'resolved' }]), {
    secret: 'not the secret',
  });
  assert.equal(forged.statusCode, 401);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await ioc.cagetNumber(ALARM), 1);

  const resolved = await postSigned(app, config, grafanaNotification([{ ...CDC, status: 'resolved' }]));
  assert.equal(resolved.statusCode, 202, resolved.body);
  await waitFor(async () => (await ioc.cagetNumber(ALARM)) === 0, { what: `caget ${ALARM} = 0` });
  const resolvedMessage = 'RESOLVED cdc_occupancy confirmed Bad wh';
  await waitFor(async () => (await ioc.caget(MESSAGE)) === resolvedMessage, { what: `caget ${MESSAGE}` });

  // caget can see a value before the server has recorded the put's outcome.
  const events = await waitFor(
    async () => {
      const listed = await app.inject({ url: '/api/v1/alerts', headers: auth(tokens.viewer) });
      const list = listed.json<AlertEventList>();
      return list.items.every((e) => e.writes.every((w) => w.status !== 'pending')) && list;
    },
    { what: 'every alarm write recorded' },
  );
  assert.deepEqual(
    events.items.map((e) => e.writes.map((w) => [w.pv, w.value, w.status])),
    [
      [
        [ALARM, 0, 'ok'],
        [MESSAGE, resolvedMessage, 'ok'],
      ],
      [
        [ALARM, 1, 'ok'],
        [MESSAGE, firingMessage, 'ok'],
      ],
    ],
  );
});
