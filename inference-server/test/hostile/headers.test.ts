import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { auth, multipartBody, uploadPlot } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import {
  DEPLOYMENT,
  PLOT_TYPE,
  assertProblem,
  buildHostileApp,
  suiteScope,
  type HostileApp,
} from './invariants.ts';

const INSTALL_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

for (const engine of ENGINES) {
  describe(`headers and leaks (${engine})`, () => {
    let env: HostileApp;
    const scope = suiteScope();
    before(async () => {
      env = await buildHostileApp(scope, engine);
    });

    const assertNoAbsolutePaths = (body: string) => {
      assert.ok(!body.includes(env.dataDir), `the data folder shows: ${body}`);
      assert.ok(!body.includes(INSTALL_FOLDER), `the install folder shows: ${body}`);
    };

    test('images and thumbnails are private to the client, and cached for good', async () => {
      const { result } = await uploadPlot(
        env.app,
        env.tokens.ingest,
        { deployment: DEPLOYMENT, plotType: PLOT_TYPE },
        await plotPng({ brightness: 0.5, seed: 5 }),
      );
      for (const suffix of ['file', 'thumbnail']) {
        const response = await env.app.inject({
          url: `/api/v1/images/${result!.image.id}/${suffix}`,
          headers: auth(env.tokens.viewer),
        });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['cache-control'], 'private, max-age=31536000, immutable');
      }
    });

    test('every response carries the security headers, and the swagger UI still loads', async () => {
      const api = await env.app.inject({ url: '/api/v1/health' });
      assert.equal(api.headers['x-content-type-options'], 'nosniff');
      assert.equal(api.headers['x-frame-options'], 'SAMEORIGIN');
      const policy = String(api.headers['content-security-policy']);
      assert.match(policy, /script-src 'self'/);
      assert.doesNotMatch(policy, /upgrade-insecure-requests/, '/docs must work on plain HTTP');
      const ui = await env.app.inject({ url: '/docs' });
      assert.equal(ui.statusCode, 200);
      const scripts = [...ui.body.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
      assert.ok(scripts.length > 0);
      for (const script of scripts) {
        // Same-origin files, which script-src 'self' allows.
        assert.match(script, /^\/docs\/static\//);
        assert.equal((await env.app.inject({ url: script })).statusCode, 200, `${script} loads`);
      }
    });

    test('/status and error details show no absolute path of the data folder or the install', async () => {
      const status = await env.app.inject({ url: '/api/v1/status', headers: auth(env.tokens.viewer) });
      assert.equal(status.statusCode, 200);
      assertNoAbsolutePaths(status.body);
      // The model reader names the file it could not parse.
      const body = await multipartBody({ classes: 'Good,Bad' }, [
        { field: 'files', name: 'model.json', content: Buffer.from('{"modelTopology": ') },
      ]);
      const broken = await env.app.inject({
        method: 'POST',
        url: `/api/v1/models/${env.plotTypeId}/versions`,
        headers: { ...auth(env.tokens.expert), ...body.headers },
        payload: body.payload,
      });
      assertProblem(broken, 400, /model.json is not valid JSON/);
      assertNoAbsolutePaths(broken.body);
    });
  });
}
