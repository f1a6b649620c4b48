import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HYDRA_PROXY_ROUTE } from '@hydra/plugin-kit/client';
import { expectBuildWithProvidedExternals, expectValidPluginJson } from '@hydra/plugin-kit/testing/plugin-package';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it("validates against Grafana's published plugin.json schema", () => {
    expectValidPluginJson(pluginJson);
  });

  it('keeps the token server-side: the proxy route adds it from secureJsonData', () => {
    expect(pluginJson.routes).toEqual([
      {
        path: 'hydra',
        url: '{{ .JsonData.url }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
    // The route every plugin reaches the server through, and the one the test kit emulates.
    expect(pluginJson.routes).toEqual([HYDRA_PROXY_ROUTE]);
  });

  it('builds to dist/ with externals only from what Grafana provides', () => {
    expectBuildWithProvidedExternals(path.resolve(__dirname, '..'));
  }, 120_000);
});
