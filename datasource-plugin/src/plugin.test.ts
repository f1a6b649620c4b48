import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import schema from '../schemas/plugin.schema.json';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it("validates against Grafana's published plugin.json schema", () => {
    // The schema's patterns escape '-', which JSON Schema's ECMA-262 regexes allow but unicode mode does not.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(pluginJson), JSON.stringify(validate.errors)).toBe(true);
  });

  it('keeps the token server-side: the proxy route adds it from secureJsonData', () => {
    expect(pluginJson.routes).toEqual([
      {
        path: 'hydra',
        url: '{{ .JsonData.url }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
  });

  it('builds to dist/ with externals only from what Grafana provides', () => {
    const root = path.resolve(__dirname, '..');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    const bundle = fs.readFileSync(path.join(root, 'dist/module.js'), 'utf8');
    const externals = JSON.parse(bundle.match(/define\((\[[^\]]*\])/)![1]!) as string[];
    const provided = [
      'module',
      'react',
      'react-dom',
      'rxjs',
      '@emotion/css',
      '@grafana/data',
      '@grafana/ui',
      '@grafana/runtime',
    ];
    expect(externals.filter((name) => !provided.includes(name))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'dist/plugin.json'), 'utf8')).info.version).toBe('0.1.0');
  }, 120_000);
});
