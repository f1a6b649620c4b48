import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Me, NewsItem, NewsList, Problem } from '../../src/schemas/index.ts';
import { auth, createPlotType } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';

test('admins post one-line news for a deployment or all; the current item is the newest that applies', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  await createPlotType(app, tokens.admin, 'hallb', 'DC_occupancy');
  const [halld, hallb] = ['halld', 'hallb'].map((name) => app.catalog.deployments.find(name));
  const halldId = (await halld)!.id;
  const hallbId = (await hallb)!.id;
  const post = (payload: object, token = tokens.admin) =>
    app.inject({ method: 'POST', url: '/api/v1/news', headers: auth(token), payload });
  const news = async (query = '') =>
    (await app.inject({ url: `/api/v1/news${query}`, headers: auth(tokens.viewer) })).json<NewsList>();

  assert.deepEqual(await news(), { current: null, items: [] });
  assert.equal((await post({ text: 'Beam study tonight' }, tokens.expert)).statusCode, 403);
  const past = await post({ text: 'Too late', expiresAt: '2000-01-01T00:00:00Z' });
  assert.equal(past.statusCode, 400);
  assert.match(past.json<Problem>().detail, /not in the future/);
  assert.equal((await post({ text: 'two\nlines' })).statusCode, 400);
  assert.equal((await post({ text: '' })).statusCode, 400);
  assert.equal((await post({ text: 'x'.repeat(201) })).statusCode, 400);
  assert.equal((await post({ text: 'nowhere', deploymentId: 999 })).statusCode, 422);

  const everywhere = await post({ text: 'Access closed until Monday' });
  assert.equal(everywhere.statusCode, 201, everywhere.body);
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const forHalld = (
    await post({ text: 'Solenoid ramp at 14:00', deploymentId: halldId, expiresAt: later })
  ).json<NewsItem>();
  assert.equal(forHalld.author, 'test-admin');
  assert.equal(forHalld.expiresAt, later);
  // An item that expired is no longer shown.
  await app.catalog.news.create({
    text: 'old news',
    deployment_id: halldId,
    author: 'test-admin',
    created_at: Date.now() + 1000,
    expires_at: Date.now() - 1,
  });

  const halldNews = await news(`?deploymentId=${halldId}`);
  assert.equal(halldNews.current?.id, forHalld.id);
  assert.deepEqual(
    halldNews.items.map((i) => i.text),
    ['Solenoid ramp at 14:00', 'Access closed until Monday'],
  );
  assert.equal((await news(`?deploymentId=${hallbId}`)).current?.text, 'Access closed until Monday');
  assert.equal((await news('?deployment=halld')).current?.id, forHalld.id, 'by name, as the panel asks');
  const unknown = await app.inject({ url: '/api/v1/news?deployment=nowhere', headers: auth(tokens.viewer) });
  assert.equal(unknown.statusCode, 422);
  assert.equal(
    (await news()).current?.text,
    'Access closed until Monday',
    'without a deployment: the one for all',
  );

  const remove = (id: number, token = tokens.admin) =>
    app.inject({ method: 'DELETE', url: `/api/v1/news/${id}`, headers: auth(token) });
  assert.equal((await remove(forHalld.id, tokens.labeler)).statusCode, 403);
  assert.equal((await remove(forHalld.id)).statusCode, 204);
  assert.equal((await remove(forHalld.id)).statusCode, 404);
  assert.equal((await news(`?deploymentId=${halldId}`)).current?.text, 'Access closed until Monday');
});

test('GET /me tells any valid token its name, role and rights', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const me = async (token: string) =>
    (await app.inject({ url: '/api/v1/me', headers: auth(token) })).json<Me>();
  assert.deepEqual(await me(tokens.viewer), {
    name: 'test-viewer',
    grafanaUser: null,
    token: { name: 'test-viewer', grafanaProxy: false },
    role: 'viewer',
    rights: ['read'],
  });
  assert.deepEqual((await me(tokens.labeler)).rights, ['read', 'label']);
  assert.deepEqual((await me(tokens.ingest)).rights, ['ingest']);
  assert.deepEqual((await me(tokens.admin)).rights.sort(), ['admin', 'expert', 'ingest', 'label', 'read']);
  assert.equal((await app.inject({ url: '/api/v1/me' })).statusCode, 401);
  assert.equal((await app.inject({ url: '/api/v1/me', headers: auth('hydra_nope') })).statusCode, 401);
});
