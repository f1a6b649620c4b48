import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncidentReport, IncidentTimeline } from '../../src/schemas/index.ts';
import { alertApp } from '../alerts/alert-app.ts';
import { grafanaNotification } from '../alerts/grafana.ts';
import { auth } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { importLogbookFile, iso, MINUTE, seedPeriod } from './run-period.ts';

const PLOT_TYPES = [
  { name: 'CDC_occupancy', group: 'CDC', title: 'CDC occupancy' },
  { name: 'FCAL_occupancy', group: 'FCAL', title: 'FCAL occupancy' },
];

for (const engine of ENGINES) {
  describe(`incidents from Grafana alerts (${engine})`, () => {
    test('a firing alert naming a plot type opens an incident, matched to the logbook like a verdict', async (t) => {
      const { app, tokens, databaseUrl, send } = await alertApp(t, { engine });
      const { deploymentId } = await seedPeriod(app, databaseUrl, 'halld', PLOT_TYPES, []);
      const alert = (plotType: string, deployment: string, fingerprint: string) => ({
        status: 'firing' as const,
        labels: { alertname: 'PlotBad', deployment, plot_type: plotType },
        fingerprint,
      });
      const sent = await send(
        grafanaNotification([alert('CDC_occupancy', 'halld', 'a1'), alert('CDC_occupancy', 'hallb', 'a2')]),
      );
      assert.equal(sent.statusCode, 202, sent.body);
      const firedAt = Date.now();
      await importLogbookFile(
        app,
        tokens.expert,
        'halld',
        'jsonl',
        JSON.stringify({ time: iso(firedAt + 20 * MINUTE), author: 'shift-crew', text: 'CDC HV tripped' }),
      );

      const query = `deploymentId=${deploymentId}&to=${iso(firedAt + MINUTE)}`;
      const response = await app.inject({
        url: `/api/v1/incidents/report?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(response.statusCode, 200, response.body);
      const { incidents } = response.json<IncidentReport>();
      assert.equal(incidents.length, 1, 'the other deployment’s alert is not this one’s incident');
      const [incident] = incidents;
      assert.deepEqual(
        [incident!.plotType, incident!.verdicts, incident!.logbook?.text],
        ['CDC_occupancy', ['PlotBad'], 'CDC HV tripped'],
      );
      assert.ok(incident!.key < 0, 'an alert opened it');
      assert.ok(Math.abs(incident!.leadSeconds! - 20 * 60) < 5, `lead ${incident!.leadSeconds} s`);

      const timeline = await app.inject({
        url: `/api/v1/incidents/${incident!.key}?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.deepEqual(
        timeline.json<IncidentTimeline>().events.map((e) => e.kind),
        ['first-flag', 'logbook'],
      );
      const missing = await app.inject({
        url: `/api/v1/incidents/12345?${query}`,
        headers: auth(tokens.viewer),
      });
      assert.equal(missing.statusCode, 404);
      const reversed = await app.inject({
        url: `/api/v1/incidents/report?deploymentId=${deploymentId}&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
        headers: auth(tokens.viewer),
      });
      assert.equal(reversed.statusCode, 400);
      const unknown = await app.inject({
        url: '/api/v1/incidents/report?deploymentId=999',
        headers: auth(tokens.viewer),
      });
      assert.equal(unknown.statusCode, 404);
    });
  });
}
