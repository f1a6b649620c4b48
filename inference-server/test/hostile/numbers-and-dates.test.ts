import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_DB_INTEGER } from '../../src/schemas/index.ts';
import { auth, uploadPlot } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import * as hostile from './invariants.ts';

/** A PNG whose chunks are sound (CRCs match) but whose pixel data does not inflate: only decoding finds it. */
async function undecodablePng(): Promise<Buffer> {
  const png = await plotPng({ brightness: 0.5, seed: 77 });
  const idat = png.indexOf('IDAT') - 4;
  const length = png.readUInt32BE(idat);
  const garbage = Buffer.alloc(length, 0x5a);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from('IDAT'), garbage])));
  return Buffer.concat([png.subarray(0, idat + 8), garbage, crc, png.subarray(idat + 12 + length)]);
}

/** Numbers as text: what a form or a query string carries. */
const numberText = fc.oneof(
  fc.constantFrom(
    '1.5',
    '',
    ' 12',
    '0x10',
    '1e3',
    '-1',
    '+1',
    '007',
    'NaN',
    'Infinity',
    String(MAX_DB_INTEGER + 1),
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.string({ maxLength: 12 }),
);

const dateText = fc.oneof(
  fc.constantFrom(
    '2016-12-31T23:59:60Z',
    '2024-02-30T00:00:00Z',
    '2024-01-01t00:00:00z',
    '2024-01-01 00:00:00Z',
  ),
  fc
    .date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  fc.string({ maxLength: 30 }),
);

for (const engine of ENGINES) {
  describe(`numbers and dates are validated, never coerced (${engine})`, () => {
    let env: hostile.HostileApp;
    const scope = hostile.suiteScope();
    before(async () => {
      env = await hostile.buildHostileApp(scope, engine);
    });

    const upload = async (fields: Record<string, string>, seed: number) =>
      (
        await uploadPlot(
          env.app,
          env.tokens.ingest,
          { deployment: hostile.DEPLOYMENT, plotType: hostile.PLOT_TYPE, ...fields },
          await plotPng({ brightness: 0.5, seed }),
        )
      ).response;

    test('a run that is not decimal digits is refused, naming the field', async () => {
      for (const [index, run] of ['1.5', '', '0x10', '1e3', ' 12', String(MAX_DB_INTEGER + 1)].entries()) {
        const response = await upload({ run }, 200 + index);
        hostile.assertProblem(response, 400, /run/);
        await hostile.expectSurvived(env, response);
      }
    });

    test('a time Date.parse cannot read is refused and leaves no file behind', async () => {
      const response = await upload({ time: '2016-12-31T23:59:60Z' }, 300);
      hostile.assertProblem(response, 400, /time/);
      await hostile.expectSurvived(env, response);
    });

    test('ids, offsets and label batches beyond what the catalog takes are 400', async () => {
      const headers = auth(env.tokens.admin);
      const beyond = MAX_DB_INTEGER + 1;
      for (const url of [
        `/api/v1/predictions?offset=${beyond}`,
        `/api/v1/runs?deployment=${hostile.DEPLOYMENT}&offset=${beyond}`,
        `/api/v1/labels?offset=${beyond}`,
        `/api/v1/images/${beyond}`,
        `/api/v1/models/${beyond}`,
      ]) {
        hostile.assertProblem(await env.app.inject({ url, headers }), 400, /must be <= 2147483647/);
      }
      const label = (imageIds: number[]) =>
        env.app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers,
          payload: { imageIds, class: 'Good' },
        });
      hostile.assertProblem(await label([beyond]), 400, /must be <= 2147483647/);
      hostile.assertProblem(
        await label(Array.from({ length: 5001 }, (_, i) => i + 1)),
        400,
        /must NOT have more than 5000 items/,
      );
    });

    test('an image that cannot be decoded gives a 422 thumbnail, not a 500', async () => {
      const { result, response } = await uploadPlot(
        env.app,
        env.tokens.ingest,
        { deployment: hostile.DEPLOYMENT, plotType: hostile.PLOT_TYPE },
        await undecodablePng(),
      );
      assert.ok(result, response.body);
      const thumbnail = await env.app.inject({
        url: `/api/v1/images/${result.image.id}/thumbnail`,
        headers: auth(env.tokens.viewer),
      });
      hostile.assertProblem(thumbnail, 422, /cannot be decoded/);
    });

    test('property: any run or time in a form is a 4xx or stored as given', async () => {
      let seed = 1000;
      await fc.assert(
        fc.asyncProperty(numberText, dateText, async (run, time) => {
          const response = await upload({ run, time }, seed++);
          await hostile.expectSurvived(
            env,
            response,
            `run ${JSON.stringify(run)}, time ${JSON.stringify(time)}`,
          );
          if (response.statusCode < 300) {
            const { image } = response.json<{ image: { run: number; capturedAt: string } }>();
            assert.equal(String(image.run), run, 'the run is stored as sent');
            assert.equal(Date.parse(image.capturedAt), Date.parse(time), 'the time is stored as sent');
          }
        }),
        { numRuns: hostile.NUM_RUNS },
      );
      await hostile.assertVerdictReachesInflux(env);
    });

    test('numbers in a query or a path are decimal: hex, exponents, signs and blanks are 400s that name the field', async () => {
      const headers = auth(env.tokens.viewer);
      for (const [url, field] of [
        ['/api/v1/predictions?limit=0x10', 'querystring limit'],
        ['/api/v1/predictions?offset=1e3', 'querystring offset'],
        ['/api/v1/predictions?run=+7', 'querystring run'],
        ['/api/v1/images/0x1', 'params id'],
        [`/api/v1/models/${env.plotTypeId}e0`, 'params plotTypeId'],
      ] as const) {
        const response = await env.app.inject({ url, headers });
        hostile.assertProblem(response, 400, new RegExp(`${field} must be written as a decimal integer`));
      }
      const decimal = await env.app.inject({ url: '/api/v1/predictions?limit=16&offset=0', headers });
      assert.equal(decimal.statusCode, 200, decimal.body);
    });

    test('property: any limit, offset, id or time in a query is a 4xx or a success', async () => {
      const headers = auth(env.tokens.viewer);
      await fc.assert(
        fc.asyncProperty(numberText, numberText, dateText, async (limit, offset, time) => {
          const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
          for (const url of [
            `/api/v1/predictions?${query({ limit, offset, from: time })}`,
            `/api/v1/runs?${query({ deployment: hostile.DEPLOYMENT, limit, offset })}`,
            `/api/v1/labels?${query({ limit, offset, runFrom: limit, to: time })}`,
            `/api/v1/images/${encodeURIComponent(offset)}`,
            `/api/v1/training-jobs?${query({ plotTypeId: limit })}`,
          ]) {
            await hostile.expectSurvived(env, await env.app.inject({ url, headers }), url);
          }
        }),
        { numRuns: hostile.NUM_RUNS },
      );
    });
  });
}
