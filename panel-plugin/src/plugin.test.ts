import path from 'node:path';
import { describe, it } from 'vitest';
import { expectBuildWithProvidedExternals, expectValidPluginJson } from '@hydra/plugin-kit/testing/plugin-package';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it("validates against Grafana's published plugin.json schema", () => {
    expectValidPluginJson(pluginJson);
  });

  it('builds to dist/ with externals only from what Grafana provides', () => {
    expectBuildWithProvidedExternals(path.resolve(__dirname, '..'));
  }, 120_000);
});
