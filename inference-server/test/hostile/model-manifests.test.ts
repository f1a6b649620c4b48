import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { auth, multipartBody } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { modelFolderEntries, saveBrightnessModel } from '../helpers/model.ts';
import { influxQuery } from '../helpers/services.ts';
import * as hostile from './invariants.ts';

/** Weight paths as a hostile manifest names them: escapes, absolute paths, itself, nothing, the real file. */
const weightPath = fc.oneof(
  fc.constantFrom(
    'weights.bin',
    '../weights.bin',
    '/etc/passwd',
    'model.json',
    'sub/weights.bin',
    'a\\b',
    '',
  ),
  fc.string({ maxLength: 30 }),
);
const weightSpec = fc.record({
  name: fc.oneof(fc.constantFrom('conv/kernel', 'conv/bias', 'head/kernel', 'head/bias'), fc.string()),
  shape: fc.array(fc.integer({ min: -1, max: 16 }), { maxLength: 4 }),
  dtype: fc.constantFrom('float32', 'int32', 'uint8', 'bool', 'string', 'complex64', 'nope'),
});
/** A manifest that is sometimes the real one, sometimes bent, sometimes not a manifest at all. */
const manifest = fc.oneof(
  fc.constant(undefined),
  fc.array(
    fc.record({
      paths: fc.array(weightPath, { maxLength: 3 }),
      weights: fc.array(weightSpec, { maxLength: 5 }),
    }),
    {
      maxLength: 3,
    },
  ),
  fc.jsonValue(),
);

for (const engine of ENGINES) {
  describe(`model manifests (${engine})`, () => {
    let env: hostile.HostileApp;
    let real: Record<string, Uint8Array>;
    const scope = hostile.suiteScope();
    before(async () => {
      env = await hostile.buildHostileApp(scope, engine);
      real = await modelFolderEntries(await saveBrightnessModel());
    });

    const importModel = async (
      files: Record<string, Uint8Array>,
      fields: Record<string, string>,
      zipped: boolean,
    ) => {
      const parts = zipped
        ? [{ field: 'files', name: 'model.zip', content: Buffer.from(zipSync(files)) }]
        : Object.entries(files).map(([name, content]) => ({
            field: 'files',
            name,
            content: Buffer.from(content),
          }));
      const body = await multipartBody(fields, parts);
      return env.app.inject({
        method: 'POST',
        url: `/api/v1/models/${env.plotTypeId}/versions`,
        headers: { ...auth(env.tokens.expert), ...body.headers },
        payload: body.payload,
      });
    };

    /** Every folder under models/ belongs to a registered version: a refused import leaves nothing behind. */
    const assertNoModelFolderLeft = async () => {
      const folders = await fs.readdir(path.join(env.dataDir, 'models')).catch(() => [] as string[]);
      const versions = await env.app.catalog.models.listVersions(env.plotTypeId);
      const registered = new Set(versions.map((version) => path.basename(version.artifact_path)));
      assert.deepEqual(
        folders.filter((folder) => !registered.has(folder)),
        [],
        'model folders without a version',
      );
    };

    test('a newline in a model name is refused and writes nothing to InfluxDB', async () => {
      const response = await importModel(
        real,
        { classes: 'Good,Bad', name: 'evil\nhydra_injected value=1' },
        false,
      );
      hostile.assertProblem(response, 400, /name/);
      await assertNoModelFolderLeft();
      await hostile.assertVerdictReachesInflux(env);
      const measurements = await influxQuery(
        env.influxUrl.replace(/\/[^/]+$/, ''),
        env.influxDatabase,
        'SHOW MEASUREMENTS',
      );
      assert.deepEqual(
        measurements.map((row) => row.name),
        ['hydra_prediction'],
      );
    });

    test('property: any manifest, weight file and class list is a 4xx or a version that runs, and leaves no folder behind', async () => {
      const realJson = JSON.parse(Buffer.from(real['model.json']!).toString('utf8')) as Record<
        string,
        unknown
      >;
      await fc.assert(
        fc.asyncProperty(
          manifest,
          fc.oneof(fc.constant(real['weights.bin']!), fc.uint8Array({ maxLength: 64 })),
          fc.constantFrom('Good,Bad', 'Good,Good', 'Good,Bad,NoData', 'Good', ''),
          fc.boolean(),
          async (weightsManifest, weights, classes, zipped) => {
            const modelJson = weightsManifest === undefined ? realJson : { ...realJson, weightsManifest };
            const response = await importModel(
              { 'model.json': Buffer.from(JSON.stringify(modelJson)), 'weights.bin': weights },
              { classes, name: 'candidate', activate: 'false' },
              zipped,
            );
            await hostile.expectSurvived(env, response, `manifest ${JSON.stringify(weightsManifest)}`);
            await assertNoModelFolderLeft();
            if (response.statusCode < 300) {
              // Only the real model with its two classes can pass every check.
              assert.equal(classes, 'Good,Bad', response.body);
            }
          },
        ),
        { numRuns: hostile.NUM_RUNS },
      );
      await hostile.assertVerdictReachesInflux(env);
    });
  });
}
