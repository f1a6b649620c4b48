import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { auth, createPlotType, multipartBody } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';

/** A 429 problem that names the setting, with a Retry-After within the minute. */
function assertRateLimited(response: LightMyRequestResponse, detail: RegExp) {
  assert.equal(response.statusCode, 429, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json<{ status: number; type: string; detail: string }>();
  assert.equal(problem.status, 429);
  assert.equal(problem.type, '/problems/too-many-requests');
  assert.match(problem.detail, detail);
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${response.headers['retry-after']}`);
}

describe('rate limits', () => {
  test('an address past HYDRA_AUTH_FAILURES_PER_MINUTE is refused, valid token or not; other addresses are not', async (t) => {
    // Behind a proxy on loopback, X-Forwarded-For names the client.
    const { app, tokens } = await buildTestApp(t, 'sqlite', {
      HYDRA_INFLUX_URL: '',
      HYDRA_AUTH_FAILURES_PER_MINUTE: '3',
      HYDRA_TRUST_PROXY: '127.0.0.1',
    });
    const from = (client: string, token: string) =>
      app.inject({ url: '/api/v1/me', headers: { ...auth(token), 'x-forwarded-for': client } });
    const guesser = '203.0.113.7';
    const neighbour = '203.0.113.8';

    for (let i = 0; i < 3; i++) {
      assert.equal((await from(guesser, `hydra_guess-${i}`)).statusCode, 401);
    }
    assertRateLimited(
      await from(guesser, tokens.viewer),
      /3 failed authentications from 203\.0\.113\.7 within a minute.*HYDRA_AUTH_FAILURES_PER_MINUTE/,
    );
    assertRateLimited(await from(guesser, 'hydra_guess-4'), /HYDRA_AUTH_FAILURES_PER_MINUTE/);

    const neighbourMe = await from(neighbour, tokens.viewer);
    assert.equal(neighbourMe.statusCode, 200, neighbourMe.body);
    const health = await app.inject({ url: '/api/v1/health', headers: { 'x-forwarded-for': guesser } });
    assert.equal(health.statusCode, 200, 'liveness answers a refused address');
  });

  test('uploads past HYDRA_UPLOADS_PER_MINUTE get 429 for that token alone; the image is not stored', async (t) => {
    const { app, tokens } = await buildTestApp(t, 'sqlite', {
      HYDRA_INFLUX_URL: '',
      HYDRA_UPLOADS_PER_MINUTE: '3',
    });
    await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
    const upload = async (token: string, seed: number) => {
      const body = await multipartBody({ deployment: 'halld', plotType: 'CDC_occupancy' }, [
        { field: 'file', name: 'plot.png', content: await plotPng({ brightness: 0.5, seed }) },
      ]);
      return app.inject({
        method: 'POST',
        url: '/api/v1/images',
        headers: { ...auth(token), ...body.headers },
        payload: body.payload,
      });
    };

    for (let seed = 1; seed <= 3; seed++) {
      const accepted = await upload(tokens.ingest, seed);
      assert.equal(accepted.statusCode, 201, accepted.body);
      assert.equal(accepted.headers['x-ratelimit-remaining'], String(3 - seed));
    }
    const refused = await upload(tokens.ingest, 4);
    assertRateLimited(
      refused,
      /the token "test-ingest" sent more than 3 images within a minute.*HYDRA_UPLOADS_PER_MINUTE/,
    );
    assert.equal(refused.headers['x-ratelimit-limit'], '3');

    const other = await upload(tokens.admin, 5);
    assert.equal(other.statusCode, 201, `another token still uploads: ${other.body}`);
    const counts = await app.catalog.images.countByStatus();
    const stored = Object.values(counts).reduce((sum, count) => sum + count, 0);
    assert.equal(stored, 4, 'three of the first token, one of the other');
  });
});
