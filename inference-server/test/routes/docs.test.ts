import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/build-app.ts';

test('the OpenAPI document is generated from the route schemas and served at /docs', async (t) => {
  const { app } = await buildTestApp(t);
  const document = (await app.inject({ url: '/docs/json' })).json<{
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  }>();
  assert.match(document.openapi, /^3\./);
  for (const path of [
    '/api/v1/images/',
    '/api/v1/plots/',
    '/api/v1/predictions/',
    '/api/v1/events/',
    '/api/v1/status/',
    '/api/v1/labels/',
  ]) {
    assert.ok(document.paths[path], `${path} is documented`);
  }
  assert.ok(document.paths['/api/v1/images/']!.post!.responses['422'], 'problem responses are documented');
  const ui = await app.inject({ url: '/docs' });
  assert.equal(ui.statusCode, 200);
  assert.match(ui.body, /swagger/i);
});
