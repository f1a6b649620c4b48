import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/build-app.ts';

/** A folder laid out as `npm run build:preview` leaves it (the page itself is the panel plugin's to test). */
async function builtPreview(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-preview-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'public/build/img/icons/unicons'), { recursive: true });
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Hydra: preview</title>');
  await fs.writeFile(path.join(dir, 'preview.js'), 'console.log("preview")');
  await fs.writeFile(path.join(dir, 'inputs.json'), '["../../src/x.tsx"]');
  await fs.writeFile(path.join(dir, 'public/build/img/icons/unicons/bell.svg'), '<svg/>');
  return dir;
}

test('HYDRA_PREVIEW serves the built page at /, its script and icons, and not its list of sources', async (t) => {
  const dir = await builtPreview(t);
  const { app } = await buildTestApp(t, 'sqlite', { HYDRA_PREVIEW: 'true', HYDRA_PREVIEW_DIR: dir });
  const page = await app.inject({ url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /Hydra: preview/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/, 'helmet still applies');
  assert.equal((await app.inject({ url: '/preview.js' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/public/build/img/icons/unicons/bell.svg' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/inputs.json' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/v1/health' })).statusCode, 200);
});

test('HYDRA_PREVIEW without a built page: / says how to build it, and the server runs on', async (t) => {
  const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-preview-'));
  t.after(() => fs.rm(empty, { recursive: true, force: true }));
  const { app } = await buildTestApp(t, 'sqlite', { HYDRA_PREVIEW: 'true', HYDRA_PREVIEW_DIR: empty });
  const page = await app.inject({ url: '/' });
  assert.equal(page.statusCode, 503);
  assert.match(String(page.headers['content-type']), /^application\/problem\+json/);
  assert.match(page.json<{ detail: string }>().detail, /not built: run `npm run build:preview`/);
  assert.ok(!page.body.includes(empty), 'no absolute path');
  assert.equal((await app.inject({ url: '/api/v1/health' })).statusCode, 200);
});

test('without HYDRA_PREVIEW there is no page at /', async (t) => {
  const dir = await builtPreview(t);
  const { app } = await buildTestApp(t, 'sqlite', { HYDRA_PREVIEW_DIR: dir });
  assert.equal((await app.inject({ url: '/' })).statusCode, 404);
});
