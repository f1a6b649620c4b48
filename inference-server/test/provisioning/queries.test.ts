import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IPoint } from 'influx';
import { incidentReportPoints } from '../../src/influx/incident-points.ts';
import { predictionPoint } from '../../src/influx/prediction-points.ts';
import type { Verdict } from '../../src/pipeline/verdict.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { math, reduce, threshold, type Result } from './expressions.ts';
import {
  allPanels,
  dashboards,
  interpolate,
  rules,
  runInfluxQL,
  type AlertRule,
} from './provisioning-files.ts';

// A simulated hour in a real InfluxDB, written through the server's own point writer; then every InfluxQL query
// of the dashboards and alert rules runs against it as Grafana would send it, and each rule is evaluated with
// its reduce, math and threshold expressions.

const MINUTE = 60_000;
type Beam = 'on' | 'off' | 'unknown';
let nextId = 1;

/** One plot's verdict `minutesAgo` minutes ago; probabilities from p(Bad), confirmed at the 0.8 Bad threshold. */
function verdictPoint(
  now: number,
  {
    deployment,
    plotType,
    minutesAgo,
    pBad,
    beam,
  }: { deployment: string; plotType: string; minutesAgo: number; pBad: number; beam: Beam },
): IPoint {
  const id = nextId++;
  const createdAt = now - minutesAgo * MINUTE - 20_000;
  const bad = pBad > 0.5;
  const verdict: Omit<Verdict, 'beam'> = {
    id,
    imageId: id,
    deployment,
    plotTypeId: 1,
    plotType,
    run: minutesAgo >= 30 ? 1000 : 1001,
    modelVersionId: 1,
    model: plotType,
    modelVersion: 1,
    kind: 'classifier',
    scores: { Good: (1 - pBad) * 0.98, Bad: pBad, NoData: (1 - pBad) * 0.02 },
    verdict: bad ? 'Bad' : 'Good',
    confidence: bad ? pBad : (1 - pBad) * 0.98,
    confirmed: bad ? pBad >= 0.8 : true,
    latencyMs: 40,
    inferenceMs: 15,
    capturedAt: createdAt - 40,
    createdAt,
  };
  // predictionPoint writes the beam tag once the Verdict carries it; setting it here keeps this test independent.
  const withBeam = { ...verdict, beam };
  const point = predictionPoint(withBeam);
  return { ...point, tags: { ...point.tags, beam } };
}

const PLOTS = ['CDC_occupancy', 'FCAL_timing', 'BCAL_rate', 'TOF_hits'];
const GOOD = 0.05;

/** p(Bad) of a troubled plot: CDC_occupancy confirmed Bad, FCAL_timing flickering to an unconfirmed Bad. */
function troubled(plotType: string, minutesAgo: number): number {
  if (plotType === 'CDC_occupancy') return 0.95;
  if (plotType === 'FCAL_timing') return minutesAgo % 2 === 0 ? 0.6 : GOOD;
  return GOOD;
}

/**
 * halld, beam on: CDC_occupancy Bad for the last 4 minutes, FCAL_timing flickering for the last 10, BCAL_rate
 * silent for the last 15. hallb: the same Bad and flicker with the beam off for the last 30 minutes, then its
 * DAQ stops 12 minutes ago. clean: every plot Good, beam unknown (no beam PV).
 */
function simulatedHour(now: number): IPoint[] {
  const points: IPoint[] = [];
  const add = (deployment: string, plotType: string, minutesAgo: number, pBad: number, beam: Beam) =>
    points.push(verdictPoint(now, { deployment, plotType, minutesAgo, pBad, beam }));
  for (let minutesAgo = 60; minutesAgo >= 0; minutesAgo--) {
    for (const plotType of PLOTS) {
      add('clean', plotType, minutesAgo, GOOD, 'unknown');
      const recent = plotType === 'CDC_occupancy' ? 4 : 10;
      if (!(plotType === 'BCAL_rate' && minutesAgo < 15)) {
        add('halld', plotType, minutesAgo, minutesAgo < recent ? troubled(plotType, minutesAgo) : GOOD, 'on');
      }
      if (minutesAgo >= 30) add('hallb', plotType, minutesAgo, GOOD, 'on');
      else if (minutesAgo >= 12) add('hallb', plotType, minutesAgo, troubled(plotType, minutesAgo), 'off');
    }
  }
  return points;
}

/** Human labels after predictions: two overrides and three agreeing labels of halld's CDC_occupancy. */
function agreementPoints(now: number): IPoint[] {
  return [0, 1, 2, 3, 4].map((i) => ({
    measurement: 'hydra_model_agreement',
    tags: {
      deployment: 'halld',
      plot_type: 'CDC_occupancy',
      model: 'CDC_occupancy',
      model_version: '1',
      source: i < 2 ? 'override' : 'labeler',
      label: 'Good',
      verdict: i < 2 ? 'Bad' : 'Good',
    },
    fields: { agree: i < 2 ? 0 : 1, image_id: i },
    timestamp: (BigInt(now - (i + 1) * MINUTE) * 1_000_000n).toString(),
  }));
}

/** halld's incident report of the hour, as POST /incidents/report/influx writes it: one CDC incident, 40 min lead. */
function incidentPoints(now: number): IPoint[] {
  const figures = {
    incidents: 1,
    matched: 1,
    unmatched: 0,
    medianLeadSeconds: 2400,
    worstLeadSeconds: 2400,
    totalLeadSeconds: 2400,
    beamOnLeadSeconds: 2400,
  };
  return incidentReportPoints({
    deployment: 'halld',
    deploymentId: 1,
    from: new Date(now - 60 * MINUTE).toISOString(),
    to: new Date(now).toISOString(),
    gapMinutes: 30,
    windowHours: 24,
    beamKnown: true,
    detectors: [{ detector: 'CDC', ...figures }],
    totals: { detector: null, ...figures },
    incidents: [],
  });
}

/** Panels whose fields this run cannot produce: latency percentiles need an image classified by a model. */
const NO_DATA_HERE: Record<string, number[]> = { 'hydra-status': [2] };

/** Runs a rule's queries over their relative ranges and its expressions in order; returns its condition's values. */
async function evaluate(rule: AlertRule, influx: { url: string; database: string }, now: number) {
  const results: Record<string, Result> = {};
  for (const { refId, datasourceUid, relativeTimeRange, model } of rule.data) {
    if (datasourceUid !== '__expr__') {
      const range = { from: now - relativeTimeRange!.from * 1000, to: now - relativeTimeRange!.to * 1000 };
      results[refId] = {
        kind: 'series',
        items: await runInfluxQL(influx.url, influx.database, interpolate(model.query!, range)),
      };
    } else if (model.type === 'reduce') {
      results[refId] = reduce(results[model.expression!]!, model.reducer!, model.settings);
    } else if (model.type === 'threshold') {
      results[refId] = threshold(results[model.expression!]!, model.conditions![0]!.evaluator);
    } else {
      results[refId] = math(model.expression!, results);
    }
  }
  const condition = results[rule.condition]!;
  assert.equal(condition.kind, 'numbers', `${rule.uid}: the condition is reduced`);
  return condition.items;
}

test('every dashboard and alert query runs on a simulated hour, and each rule fires for its trouble only', async (t) => {
  const { app, influxUrl, influxDatabase } = await buildTestApp(t, 'sqlite', {
    HYDRA_INFLUX_SERVER_INTERVAL_MS: '100',
  });
  const influx = { url: influxUrl.slice(0, -influxDatabase.length - 1), database: influxDatabase };
  const now = Date.now();
  app.pointWriter!.write([...simulatedHour(now), ...agreementPoints(now), ...incidentPoints(now)]);
  await app.pointWriter!.flush();
  await waitFor(
    async () =>
      (await runInfluxQL(influx.url, influx.database, 'SELECT count("uptime_s") FROM "hydra_server"'))
        .length > 0,
    {
      what: 'hydra_server points',
    },
  );

  await t.test('dashboard variables list what was written, and every panel query returns data', async () => {
    const variables = {
      deployment: 'halld',
      plot_type: 'CDC_occupancy',
      threshold: '0.8',
      instance: app.instanceId,
    };
    const range = { from: now - 6 * 60 * MINUTE, to: Date.now(), interval: '1m', variables };
    for (const { file, dashboard } of dashboards()) {
      for (const variable of dashboard.templating.list.filter((v) => v.datasource?.uid === 'hydra-influx')) {
        const values = await fetch(
          `${influx.url}/query?db=${influx.database}&q=${encodeURIComponent(interpolate(variable.query as string, range))}`,
        ).then(async (r) => JSON.stringify(await r.json()));
        assert.ok(
          values.includes(variables[variable.name as keyof typeof variables]),
          `${file}: $${variable.name} lists ${values}`,
        );
      }
      for (const panel of allPanels(dashboard.panels)) {
        for (const target of (panel.targets ?? []).filter((t) => t.datasource?.uid === 'hydra-influx')) {
          const series = await runInfluxQL(
            influx.url,
            influx.database,
            interpolate(target.query as string, range),
          );
          const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) => v !== null);
          if (NO_DATA_HERE[dashboard.uid]?.includes(panel.id)) continue;
          assert.ok(values.length > 0, `${file} panel ${panel.id} (${target.refId}) returns data`);
        }
      }
    }
  });

  await t.test(
    'each alert rule fires for its trouble with the beam on, and not for the clean run or a beam that is off',
    async () => {
      const expected: Record<string, string[]> = {
        'hydra-confirmed-bad': ['halld/CDC_occupancy'],
        'hydra-flicker': ['halld/FCAL_timing'],
        'hydra-plot-silent': ['halld/BCAL_rate'],
      };
      const evaluatedAt = Date.now();
      for (const rule of rules()) {
        const instances = await evaluate(rule, influx, evaluatedAt);
        for (const { labels } of instances) {
          assert.ok(
            labels.deployment && labels.plot_type,
            `${rule.uid}: an instance without plot labels: ${JSON.stringify(labels)}`,
          );
        }
        if (rule.uid === 'hydra-plot-silent') {
          assert.ok(
            instances.some((i) => i.labels.deployment === 'clean'),
            "the clean run's plots are evaluated",
          );
        }
        const firing = instances
          .filter((i) => i.value !== 0)
          .map((i) => `${i.labels.deployment}/${i.labels.plot_type}`);
        assert.deepEqual(firing.sort(), expected[rule.uid], rule.uid);
      }
    },
  );
});
