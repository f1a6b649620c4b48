import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '../../src/schemas/names.ts';
import { auth, uploadPlot } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { influxQuery } from '../helpers/services.ts';
import * as hostile from './invariants.ts';

// A newline in a tag value adds a line to the line protocol: this one would create a measurement of its own.
const INJECTED = 'evil\nhydra_injected,deployment=x value=1';

/** Names as a hostile client sends them: line-protocol syntax, control characters, any Unicode, any length. */
const hostileName = fc.oneof(
  fc.constantFrom(
    INJECTED,
    'a b',
    'a,b',
    'a=b',
    'a"b',
    'a\\b',
    'tab\tname',
    '',
    'x'.repeat(NAME_MAX_LENGTH + 1),
  ),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/),
);

const follows = (name: string) => new RegExp(NAME_PATTERN).test(name) && name.length <= NAME_MAX_LENGTH;

for (const engine of ENGINES) {
  describe(`names that become InfluxDB tags or field keys (${engine})`, () => {
    let env: hostile.HostileApp;
    const scope = hostile.suiteScope();
    before(async () => {
      env = await hostile.buildHostileApp(scope, engine, {
        HYDRA_AUTO_REGISTER: 'true',
      });
    });

    const measurements = async () =>
      (await influxQuery(env.influxUrl.replace(/\/[^/]+$/, ''), env.influxDatabase, 'SHOW MEASUREMENTS')).map(
        (row) => row.name,
      );

    test('a newline in a deployment, plot type or class name is refused and writes nothing to InfluxDB', async () => {
      const admin = auth(env.tokens.admin);
      const deployment = await env.app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: admin,
        payload: { name: INJECTED },
      });
      hostile.assertProblem(deployment, 400, /name/);
      const plotType = await env.app.inject({
        method: 'POST',
        url: '/api/v1/plot-types',
        headers: admin,
        payload: { deployment: hostile.DEPLOYMENT, name: INJECTED },
      });
      hostile.assertProblem(plotType, 400, /name/);
      const className = await env.app.inject({
        method: 'POST',
        url: '/api/v1/plot-types',
        headers: admin,
        payload: {
          deployment: hostile.DEPLOYMENT,
          name: hostile.PLOT_TYPE,
          classes: [{ name: INJECTED, colour: '#ff0000', severity: 'alarm' }],
        },
      });
      hostile.assertProblem(className, 400, /name/);
      // Auto-registration on ingest is the other way a name reaches the catalog.
      const { response } = await uploadPlot(
        env.app,
        env.tokens.ingest,
        { deployment: hostile.DEPLOYMENT, plotType: INJECTED },
        await plotPng({ brightness: 0.5, seed: 1 }),
      );
      hostile.assertProblem(response, 400, /plotType/);
      await hostile.assertVerdictReachesInflux(env);
      assert.deepEqual(await measurements(), ['hydra_prediction']);
    });

    test('property: any name is a 4xx or follows the name rule, and the point stream survives', async () => {
      await fc.assert(
        fc.asyncProperty(hostileName, fc.integer({ min: 0, max: 1_000_000 }), async (name, seed) => {
          const admin = auth(env.tokens.admin);
          const requests = [
            env.app.inject({ method: 'POST', url: '/api/v1/deployments', headers: admin, payload: { name } }),
            env.app.inject({
              method: 'POST',
              url: '/api/v1/plot-types',
              headers: admin,
              payload: { deployment: hostile.DEPLOYMENT, name },
            }),
          ];
          const upload = uploadPlot(
            env.app,
            env.tokens.ingest,
            { deployment: hostile.DEPLOYMENT, plotType: name },
            await plotPng({ brightness: 0.5, seed: 10 + seed }),
          );
          for (const response of [...(await Promise.all(requests)), (await upload).response]) {
            await hostile.expectSurvived(env, response, `name ${JSON.stringify(name)}`);
            if (response.statusCode < 300) assert.ok(follows(name), `accepted ${JSON.stringify(name)}`);
          }
        }),
        { numRuns: hostile.NUM_RUNS },
      );
      await hostile.assertVerdictReachesInflux(env);
      assert.deepEqual(await measurements(), ['hydra_prediction']);
    });
  });
}
