import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/services.ts';
import type { EpicsApp } from './epics-app.ts';
import {
  BAD_COUNT_PV,
  epicsStatus,
  expectedBadCount,
  expectedPlotValue,
  plotPv,
  predictionsOf,
  startEpicsApp,
  upload,
} from './epics-app.ts';

const PLOT_TYPES = ['CDC_occupancy', 'FCAL_timing', 'BCAL_energy', 'TOF_paddles'];
const ROUND = 32;
const BURST = 16;

/** Sends ROUND plots in bursts of 16 (Hall-D's rhythm) and returns images classified per second. */
async function classifyRound(app: EpicsApp, seed: number): Promise<number> {
  const started = Date.now();
  const ids: number[] = [];
  for (let burst = 0; burst < ROUND / BURST; burst++) {
    const sent = Array.from({ length: BURST }, (_, i) => {
      const n = seed + burst * BURST + i;
      // Mostly Good, with a Bad plot now and then.
      return upload(app, PLOT_TYPES[n % PLOT_TYPES.length]!, n % 5 === 0 ? 0.1 : 0.85, n);
    });
    ids.push(...(await Promise.all(sent)));
  }
  await predictionsOf(app, ids);
  return ROUND / ((Date.now() - started) / 1000);
}

test('an IOC killed mid-run slows nothing; status shows it down; after restart every PV catches up', async (t) => {
  const app = await startEpicsApp(t, PLOT_TYPES);
  await classifyRound(app, 1000); // warm-up: the worker compiles its kernels
  const withIoc = await classifyRound(app, 2000);

  await app.ioc.kill();
  await waitFor(async () => (await epicsStatus(app)).state === 'disconnected', {
    what: 'EPICS disconnected',
  });
  const withoutIoc = await classifyRound(app, 3000);
  const down = await epicsStatus(app);
  assert.equal(down.state, 'disconnected');
  assert.ok(down.since !== null && Date.parse(down.since) <= Date.now());
  assert.equal(down.beam.state, 'unknown', 'no beam reading while the IOC is down');
  assert.ok(down.puts.droppedWhileDown >= ROUND, `dropped ${down.puts.droppedWhileDown}`);
  t.diagnostic(`classified ${withIoc.toFixed(1)}/s with the IOC, ${withoutIoc.toFixed(1)}/s without`);
  // Generous: the point is that nothing waits on the IOC, not a timing bound.
  assert.ok(
    withoutIoc > withIoc * 0.5,
    `${withoutIoc.toFixed(1)}/s without the IOC, ${withIoc.toFixed(1)}/s with`,
  );
  const metrics = (await app.app.inject({ url: '/metrics' })).body;
  assert.match(metrics, /hydra_epics_connected\{state="disconnected"\} 1/);

  await app.ioc.restart();
  const all = await predictionsOf(app, []);
  for (const plotType of PLOT_TYPES) {
    const expected = expectedPlotValue(all, plotType);
    await waitFor(async () => Math.abs((await app.ioc.cagetNumber(plotPv(plotType))) - expected) < 1e-5, {
      what: `${plotPv(plotType)} caught up to ${expected}`,
      timeoutMs: 30_000,
    });
  }
  const badCount = expectedBadCount(all, PLOT_TYPES);
  await waitFor(async () => (await app.ioc.cagetNumber(BAD_COUNT_PV)) === badCount, {
    what: 'BAD_COUNT caught up',
  });
  // The beam reading comes back with the monitors' first events.
  const up = await waitFor(
    async () => {
      const status = await epicsStatus(app);
      return status.beam.state === 'on' && status;
    },
    { what: 'the beam read again' },
  );
  assert.equal(up.state, 'connected');
  assert.ok(up.puts.catchUpWrites >= PLOT_TYPES.length + 1, `catch-up writes ${up.puts.catchUpWrites}`);
});
