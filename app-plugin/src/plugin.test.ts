import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HYDRA_PROXY_ROUTE } from '@hydra/plugin-kit/client';
import { expectBuildWithProvidedExternals, expectValidPluginJson } from '@hydra/plugin-kit/testing/plugin-package';
import datasourceJson from '../../datasource-plugin/src/plugin.json';
import panelJson from '../../panel-plugin/src/plugin.json';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it("validates against Grafana's published plugin.json schema", () => {
    expectValidPluginJson(pluginJson);
  });

  it('has a nav page per app page, each under the app and with a role, and the config page for admins', () => {
    const pages = pluginJson.includes.filter((include) => include.type === 'page');
    expect(pages.map((page) => [page.name, page.path, page.role])).toEqual([
      ['Labeler', '/a/hydra-dqm-app/labeler', 'Viewer'],
      ['Log', '/a/hydra-dqm-app/log', 'Viewer'],
      ['News', '/a/hydra-dqm-app/news', 'Viewer'],
      ['Library', '/a/hydra-dqm-app/library', 'Viewer'],
      ['Runs', '/a/hydra-dqm-app/runs', 'Viewer'],
      ['Browse', '/a/hydra-dqm-app/browse', 'Viewer'],
      ['Summary', '/a/hydra-dqm-app/summary', 'Viewer'],
      ['Incidents', '/a/hydra-dqm-app/incidents', 'Viewer'],
      ['Status', '/a/hydra-dqm-app/status', 'Admin'],
      ['Configuration', '/plugins/hydra-dqm-app', 'Admin'],
    ]);
    expect(pages.every((page) => page.addToNav)).toBe(true);
  });

  it('proxies the inference server with the token added by Grafana, as the data source does', () => {
    expect(pluginJson.routes).toEqual([HYDRA_PROXY_ROUTE]);
  });

  it('depends on the data source and the panel, by their ids and versions', () => {
    expect(pluginJson.dependencies.plugins).toEqual([
      { id: datasourceJson.id, type: 'datasource', name: datasourceJson.name, version: '0.1.0' },
      { id: panelJson.id, type: 'panel', name: panelJson.name, version: '0.1.0' },
    ]);
  });

  it('builds to dist/ with externals only from what Grafana provides', () => {
    expectBuildWithProvidedExternals(path.resolve(__dirname, '..'));
  }, 120_000);
});
