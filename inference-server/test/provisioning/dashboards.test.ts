import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allPanels, dashboards, pluginJson, readYaml, rules } from './provisioning-files.ts';

/**
 * Grafana's core panels these dashboards use: folders of grafana/grafana public/app/plugins/panel/ (each has a
 * plugin.json with that id), plus `row`, which is built in.
 */
const CORE_PANELS = ['timeseries', 'stat', 'table', 'barchart', 'text', 'row'];
/** Data source uids Grafana provides itself: server-side expressions and the mixed data source. */
const BUILT_IN_UIDS = ['__expr__', '-- Mixed --', 'grafana'];

const provisionedUids = () =>
  (readYaml('datasources/hydra.yaml') as { datasources: Array<{ uid: string }> }).datasources.map(
    (ds) => ds.uid,
  );

test('every dashboard is schemaVersion 41 with a unique uid, and its panels are of types that exist', () => {
  const ours = ['panel-plugin', 'datasource-plugin'].map((folder) => pluginJson(folder)!.id);
  const found = dashboards();
  assert.deepEqual(found.map((d) => d.dashboard.uid).sort(), ['hydra-run', 'hydra-status', 'hydra-trends']);
  for (const { file, dashboard } of found) {
    assert.equal(dashboard.schemaVersion, 41, file);
    assert.ok(dashboard.uid.length <= 40, `${file}: uid`);
    const panels = allPanels(dashboard.panels);
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, `${file}: panel ids are unique`);
    for (const panel of panels) {
      assert.ok(
        CORE_PANELS.includes(panel.type) || ours.includes(panel.type),
        `${file}: panel type ${panel.type}`,
      );
    }
  }
  assert.ok(
    found.some(({ dashboard }) => allPanels(dashboard.panels).some((p) => p.type === ours[0])),
    'the plot grid panel is on a dashboard',
  );
});

test('every data source a dashboard names is provisioned or built in, and every expression reads a query of its panel', () => {
  const uids = [...provisionedUids(), ...BUILT_IN_UIDS];
  for (const { file, dashboard } of dashboards()) {
    const named = [
      ...allPanels(dashboard.panels).flatMap((p) => [
        p.datasource,
        ...(p.targets ?? []).map((t) => t.datasource),
      ]),
      ...dashboard.templating.list.map((v) => v.datasource),
      ...dashboard.annotations.list.map((a) => a.datasource),
    ].filter((ds) => ds !== undefined);
    for (const ds of named) assert.ok(uids.includes(ds.uid!), `${file}: data source ${ds.uid}`);
    for (const panel of allPanels(dashboard.panels)) {
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      for (const target of (panel.targets ?? []).filter((t) => t.datasource?.uid === '__expr__')) {
        for (const [, ref] of target.expression!.matchAll(/\$(\w+)/g)) {
          assert.ok(refIds.includes(ref!), `${file} panel ${panel.id}: $${ref}`);
        }
      }
    }
  }
});

test("every alert rule's dashboard and panel exist", () => {
  const byUid = new Map(dashboards().map(({ dashboard }) => [dashboard.uid, dashboard]));
  for (const rule of rules()) {
    const dashboard = byUid.get(rule.dashboardUid!);
    assert.ok(dashboard, `${rule.uid}: dashboard ${rule.dashboardUid}`);
    assert.ok(
      allPanels(dashboard.panels).some((p) => p.id === rule.panelId),
      `${rule.uid}: panel ${rule.panelId}`,
    );
  }
});
