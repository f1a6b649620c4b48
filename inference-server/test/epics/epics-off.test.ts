import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/build-app.ts';
import { epicsStatus, predictionsOf, upload } from './epics-app.ts';
import { createPlotType, registerBrightnessModel } from '../helpers/api.ts';
import { freePort } from '../helpers/services.ts';

test('with EPICS not configured the server classifies, and status and /metrics say EPICS is off', async (t) => {
  const app = await buildTestApp(t);
  const { id } = await createPlotType(app.app, app.tokens.admin, 'halld', 'CDC_occupancy');
  await registerBrightnessModel(app.app, app.tokens.expert, id);
  const image = await upload(app, 'CDC_occupancy', 0.9, 1);
  const [prediction] = await predictionsOf(app, [image]);
  assert.equal(prediction!.verdict, 'Good');
  assert.equal(prediction!.beam, 'unknown');
  assert.equal(prediction!.run, null);

  const status = await epicsStatus(app);
  assert.equal(status.state, 'not_configured');
  assert.equal(status.since, null);
  assert.equal(status.beam.state, 'unknown');
  assert.deepEqual(status.puts, {
    ok: 0,
    failed: 0,
    droppedWhileDown: 0,
    catchUpWrites: 0,
    suppressedBeamOff: 0,
  });
  const outcome = await app.app.epics.put('HYDRA:halld:CDC_occupancy', 1);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error, 'EPICS is not configured');
  assert.equal(app.app.epics.enabled, false);
  const metrics = (await app.app.inject({ url: '/metrics' })).body;
  assert.match(metrics, /hydra_epics_connected\{state="not_configured"\} 1/);
  assert.match(metrics, /hydra_epics_beam_on -1/);
});

test('an IOC that is down at start holds up neither the start nor classification', async (t) => {
  const app = await buildTestApp(t, 'sqlite', {
    HYDRA_EPICS_CA_ADDR_LIST: '127.0.0.1',
    HYDRA_EPICS_CA_SERVER_PORT: String(await freePort()),
    HYDRA_EPICS_BEAM_CURRENT_PV: 'NOBODY:BEAM',
    HYDRA_EPICS_PUT_TIMEOUT_MS: '300',
  });
  const { id } = await createPlotType(app.app, app.tokens.admin, 'halld', 'CDC_occupancy');
  await registerBrightnessModel(app.app, app.tokens.expert, id);
  const images = [await upload(app, 'CDC_occupancy', 0.9, 1), await upload(app, 'CDC_occupancy', 0.1, 2)];
  const all = await predictionsOf(app, images);
  assert.deepEqual(
    all.map((p) => p.beam),
    ['unknown', 'unknown'],
  );
  const status = await epicsStatus(app);
  assert.equal(status.state, 'connecting');
  assert.ok(status.puts.droppedWhileDown >= images.length, `dropped ${status.puts.droppedWhileDown}`);
  assert.equal(status.puts.ok, 0);
});
