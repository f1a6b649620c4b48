import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiToken, ApiTokenList, Problem } from '../../../../src/schemas/index.ts';
import { auth } from '../../../helpers/api.ts';
import { buildTestApp } from '../../../helpers/build-app.ts';
import { waitFor } from '../../../helpers/services.ts';

test('admins list and revoke tokens; a revoked token is refused; a token in use is recorded once a minute', async (t) => {
  const { app, tokens } = await buildTestApp(t);
  const list = (token: string) => app.inject({ url: '/api/v1/tokens', headers: auth(token) });
  const revoke = (id: number | string, token = tokens.admin) =>
    app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: auth(token) });
  const me = (token: string) => app.inject({ url: '/api/v1/me', headers: auth(token) });

  assert.equal((await list(tokens.expert)).statusCode, 403, 'listing tokens takes the admin role');
  const listed = await list(tokens.admin);
  assert.equal(listed.statusCode, 200, listed.body);
  const items = listed.json<ApiTokenList>().items;
  assert.deepEqual(
    items.map(({ name, role }) => [name, role]),
    ['viewer', 'labeler', 'expert', 'admin', 'ingest']
      .map((role) => [`test-${role}`, role])
      .concat([['grafana', 'labeler']]),
  );
  assert.ok(!JSON.stringify(items).includes(tokens.viewer.slice(6)), 'no token is shown');

  // The first use is recorded; uses within the next minute write nothing.
  assert.equal((await me(tokens.viewer)).statusCode, 200);
  const lastUse = async () =>
    (await app.catalog.tokens.list({ name: 'test-viewer' }))[0]!.last_used_at ?? undefined;
  const firstUse = await waitFor(lastUse, { what: "the viewer token's first use to be recorded" });
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 3; i++) assert.equal((await me(tokens.viewer)).statusCode, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(await lastUse(), firstUse, 'uses within a minute are not written again');

  assert.equal((await revoke(1, tokens.expert)).statusCode, 403, 'revoking takes the admin role');
  const unknown = await revoke(999_999);
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.json<Problem>().detail, /no API token with id 999999/);
  assert.equal((await revoke('viewer')).statusCode, 400);

  const viewer = items.find((item) => item.name === 'test-viewer')!;
  const revoked = await revoke(viewer.id);
  assert.equal(revoked.statusCode, 200, revoked.body);
  assert.equal(revoked.json<ApiToken>().name, 'test-viewer');
  const refused = await me(tokens.viewer);
  assert.equal(refused.statusCode, 401, 'refused from the next request on');
  assert.match(refused.json<Problem>().detail, /not known: it may have been mistyped or revoked/);
  assert.equal((await revoke(viewer.id)).statusCode, 404, 'revoked once');
  assert.deepEqual(
    (await list(tokens.admin)).json<ApiTokenList>().items.map((item) => item.name),
    ['test-labeler', 'test-expert', 'test-admin', 'test-ingest', 'grafana'],
  );
});
