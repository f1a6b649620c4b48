import assert from 'node:assert/strict';
import { test } from 'node:test';
import { influxQuery, waitFor } from '../helpers/services.ts';
import {
  BAD_COUNT_PV,
  BEAM_PV,
  BEAM_THRESHOLD,
  LAST_BAD_PV,
  RUN_PV,
  UNWRITTEN,
  epicsStatus,
  expectedBadCount,
  expectedPlotValue,
  plotPv,
  predictionsOf,
  startEpicsApp,
  upload,
} from './epics-app.ts';

const PLOT_TYPES = ['CDC_occupancy', 'FCAL_timing', 'BCAL_energy'];
const close = (a: number, b: number) => Math.abs(a - b) < 1e-5;

test('after ingest the per-plot and summary PVs hold what the stored verdicts say (read by caget)', async (t) => {
  const app = await startEpicsApp(t, PLOT_TYPES, { run: 4242 });
  await waitFor(async () => (await epicsStatus(app)).run.number === 4242, { what: 'the run number PV read' });

  // One at a time, so that "the last plot type confirmed Bad" is well defined. Dark plots are Bad.
  const plan = [
    { plotType: 'CDC_occupancy', brightness: 0.9 },
    { plotType: 'FCAL_timing', brightness: 0.1 },
    { plotType: 'BCAL_energy', brightness: 0.05 },
    { plotType: 'CDC_occupancy', brightness: 0.15 },
    { plotType: 'BCAL_energy', brightness: 0.85 },
  ];
  const ids: number[] = [];
  for (const [i, step] of plan.entries()) {
    // The first plot carries its run; the others come without one and get the run-number PV's.
    ids.push(await upload(app, step.plotType, step.brightness, i + 1, i === 0 ? 131458 : undefined));
    await predictionsOf(app, ids);
  }
  const all = await predictionsOf(app, ids);
  assert.equal(all.find((p) => p.imageId === ids[0])!.run, 131458);
  for (const id of ids.slice(1)) assert.equal(all.find((p) => p.imageId === id)!.run, 4242);
  for (const p of all) assert.equal(p.beam, 'on');

  for (const plotType of PLOT_TYPES) {
    const expected = expectedPlotValue(all, plotType);
    await waitFor(async () => close(await app.ioc.cagetNumber(plotPv(plotType)), expected), {
      what: `${plotPv(plotType)} = ${expected}`,
    });
  }
  const badCount = expectedBadCount(all, PLOT_TYPES);
  assert.equal(badCount, 2, 'FCAL_timing and CDC_occupancy end Bad');
  await waitFor(async () => (await app.ioc.cagetNumber(BAD_COUNT_PV)) === badCount, { what: 'BAD_COUNT' });
  assert.equal(await app.ioc.caget(LAST_BAD_PV), 'CDC_occupancy');

  const status = await epicsStatus(app);
  assert.equal(status.state, 'connected');
  assert.equal(status.puts.failed, 0);
  assert.ok(status.puts.ok >= plan.length, `puts ok: ${status.puts.ok}`);
  const metrics = (await app.app.inject({ url: '/metrics' })).body;
  assert.match(metrics, /hydra_epics_connected\{state="connected"\} 1/);
  assert.match(metrics, /hydra_epics_puts\{outcome="ok"\} [1-9]/);
  assert.match(metrics, /hydra_epics_run_number 4242/);
});

test('with the beam current below the threshold no alarm PV is written, and verdicts carry beam=off', async (t) => {
  const app = await startEpicsApp(t, ['CDC_occupancy']);
  const pv = plotPv('CDC_occupancy');
  const first = await upload(app, 'CDC_occupancy', 0.9, 1);
  const [good] = await predictionsOf(app, [first]);
  await waitFor(
    async () => close(await app.ioc.cagetNumber(pv), good!.probabilities.Good! - good!.probabilities.Bad!),
    {
      what: 'the beam-on verdict written',
    },
  );

  await app.ioc.caput(BEAM_PV, BEAM_THRESHOLD / 10);
  await waitFor(async () => (await epicsStatus(app)).beam.state === 'off', { what: 'beam off' });
  await app.ioc.caput(pv, UNWRITTEN);
  const dark = await upload(app, 'CDC_occupancy', 0.05, 2);
  const bad = (await predictionsOf(app, [dark])).find((p) => p.imageId === dark)!;
  assert.equal(bad.verdict, 'Bad');
  assert.equal(bad.beam, 'off');
  await waitFor(async () => (await epicsStatus(app)).puts.suppressedBeamOff === 1, {
    what: 'one suppressed',
  });
  // The sink has handled the verdict (counted above); the IOC still holds what the test put there.
  assert.equal(await app.ioc.cagetNumber(pv), UNWRITTEN);
  assert.equal(await app.ioc.caget(LAST_BAD_PV), 'none');

  const baseUrl = app.influxUrl.slice(0, app.influxUrl.lastIndexOf('/'));
  const points = await waitFor(
    async () => {
      const rows = await influxQuery(
        baseUrl,
        app.influxDatabase,
        'SELECT image_id, beam FROM hydra_prediction',
      );
      return rows.length === 2 && rows;
    },
    { what: 'two points in InfluxDB' },
  );
  assert.deepEqual(Object.fromEntries(points.map((p) => [p.image_id, p.beam])), {
    [first]: 'on',
    [dark]: 'off',
  });

  // Beam back: the next verdict is written again.
  await app.ioc.caput(BEAM_PV, BEAM_THRESHOLD * 2);
  await waitFor(async () => (await epicsStatus(app)).beam.state === 'on', { what: 'beam on' });
  const again = await upload(app, 'CDC_occupancy', 0.1, 3);
  const latest = (await predictionsOf(app, [again])).find((p) => p.imageId === again)!;
  assert.equal(latest.beam, 'on');
  await waitFor(
    async () => close(await app.ioc.cagetNumber(pv), latest.probabilities.Good! - latest.probabilities.Bad!),
    {
      what: 'the beam-on verdict written',
    },
  );
  assert.equal(await app.ioc.caget(LAST_BAD_PV), 'CDC_occupancy');
  assert.equal((await epicsStatus(app)).run.pv, RUN_PV);
});
