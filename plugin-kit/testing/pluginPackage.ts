// Checks every Hydra plugin's package must pass: plugin.json against Grafana's schema, and a build whose bundle
// imports only what Grafana provides. Node-side (it runs the build), so apart from the browser-safe kit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import schema from './plugin.schema.json';

/** The modules Grafana hands a plugin bundle at runtime. */
const PROVIDED = [
  'module',
  'react',
  'react-dom',
  'rxjs',
  '@emotion/css',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  // Apps route with the react-router Grafana runs (its externals list it).
  'react-router',
];

export function expectValidPluginJson(pluginJson: object): void {
  // The schema's patterns escape '-', which JSON Schema's ECMA-262 regexes allow but unicode mode does not.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate(pluginJson), JSON.stringify(validate.errors)).toBe(true);
}

/** Builds the plugin in `root` and checks dist/: externals only from PROVIDED, and plugin.json's version. */
export function expectBuildWithProvidedExternals(root: string): void {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
  const bundle = fs.readFileSync(path.join(root, 'dist/module.js'), 'utf8');
  const externals = JSON.parse(bundle.match(/define\((\[[^\]]*\])/)![1]!) as string[];
  expect(externals.filter((name) => !PROVIDED.includes(name))).toEqual([]);
  expect(JSON.parse(fs.readFileSync(path.join(root, 'dist/plugin.json'), 'utf8')).info.version).toBe('0.1.0');
}
