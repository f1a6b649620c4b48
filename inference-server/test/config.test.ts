import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigSchema, loadConfig } from '../src/config.ts';

const ENV_EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.env.example');
// Read by `hydra ingest`, not by the server.
const CLIENT_SETTINGS = ['HYDRA_URL', 'HYDRA_TOKEN'];

test('.env.example lists every setting of the config schema, with its default, and nothing else', () => {
  const listed = new Map(
    [...readFileSync(ENV_EXAMPLE, 'utf8').matchAll(/^(HYDRA_\w+)=(.*)$/gm)].map(([, key, value]) => [
      key!,
      value!,
    ]),
  );
  const defaults = loadConfig({});
  for (const key of Object.keys(ConfigSchema.properties)) {
    assert.ok(listed.has(key), `${key} is missing from .env.example`);
    assert.equal(listed.get(key), String(defaults[key as keyof typeof defaults]), `${key}'s default`);
  }
  const unknown = [...listed.keys()].filter(
    (key) => !(key in ConfigSchema.properties) && !CLIENT_SETTINGS.includes(key),
  );
  assert.deepEqual(unknown, []);
});
