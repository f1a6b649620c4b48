import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_FIELD_BYTES } from '../../src/http/multipart-form.ts';
import { auth, multipartBody, type ApiResponse } from '../helpers/api.ts';
import { ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import * as hostile from './invariants.ts';

const BOUNDARY = 'hostile-boundary';

/** A multipart body written by hand, so that it can be as broken as a client makes it. */
function rawForm(parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>) {
  const chunks = parts.flatMap(({ name, value, filename, type }) => [
    Buffer.from(
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"` +
        (filename ? `; filename="${filename}"` : '') +
        (type ? `\r\ncontent-type: ${type}` : '') +
        '\r\n\r\n',
    ),
    Buffer.from(value),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

for (const engine of ENGINES) {
  describe(`malformed multipart bodies (${engine})`, () => {
    let env: hostile.HostileApp;
    let png: Buffer;
    const scope = hostile.suiteScope();
    before(async () => {
      env = await hostile.buildHostileApp(scope, engine);
      png = await plotPng({ brightness: 0.5, seed: 3 });
    });

    const post = (payload: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/images',
        headers: { ...auth(env.tokens.ingest), 'content-type': contentType },
        payload,
      });
    const goodParts = () => [
      { name: 'deployment', value: hostile.DEPLOYMENT },
      { name: 'plotType', value: hostile.PLOT_TYPE },
      { name: 'file', value: png, filename: 'plot.png', type: 'image/png' },
    ];

    test('no boundary, a wrong boundary and an unterminated body are 4xx problems', async () => {
      const body = rawForm(goodParts());
      const refusals: ApiResponse[] = [
        await post(body, 'multipart/form-data'),
        await post(body, 'multipart/form-data; boundary=not-the-one'),
        await post(body.subarray(0, body.length - 200)),
      ];
      for (const response of refusals) {
        await hostile.expectSurvived(env, response);
        assert.ok(response.statusCode >= 400, response.body);
      }
      hostile.assertProblem(refusals[2]!, 400, /malformed/);
    });

    test('a JSON part for a text field, an over-long field and a second file are refused, naming the field', async () => {
      const jsonPart = await post(
        rawForm([
          { name: 'deployment', value: '{"a":1}', type: 'application/json' },
          ...goodParts().slice(1),
        ]),
      );
      hostile.assertProblem(jsonPart, 400, /field deployment must be sent as text/);
      const long = await post(
        rawForm([{ name: 'chunk', value: 'c'.repeat(MAX_FIELD_BYTES + 1) }, ...goodParts()]),
      );
      hostile.assertProblem(long, 413, /field chunk is longer than/);
      const twoFiles = await post(rawForm([...goodParts(), goodParts()[2]!]));
      hostile.assertProblem(twoFiles, 400, /more than 1 file/);
      await hostile.expectSurvived(env, twoFiles);
    });

    test('a form is refused at its first bad part, before the rest of the body is sent', async (t) => {
      await env.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = env.app.server.address() as AddressInfo;
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/images',
        headers: { ...auth(env.tokens.ingest), 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      t.after(() => request.destroy());
      const answered = new Promise<[number, string | undefined]>((resolve, reject) => {
        request.on('response', (response) => resolve([response.statusCode!, response.headers.connection]));
        request.on('error', reject);
      });
      // One file, then the start of a second one that never ends: only a server that stops reading answers.
      const body = rawForm(goodParts());
      request.write(body.subarray(0, body.length - `--${BOUNDARY}--\r\n`.length));
      request.write(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="b.png"\r\n\r\n`);
      request.write(Buffer.alloc(64 * 1024));
      const [status, closed] = await answered;
      assert.equal(status, 400);
      assert.equal(closed, 'close', 'the connection ends with the refusal');
    });

    test('property: any multipart body is a 4xx or a success, leaving nothing behind', async () => {
      const field = fc.record({
        name: fc.constantFrom('deployment', 'plotType', 'run', 'time', 'chunk', 'file', 'other'),
        value: fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.constantFrom(
            hostile.DEPLOYMENT,
            hostile.PLOT_TYPE,
            '12',
            '1.5',
            '',
            '2016-12-31T23:59:60Z',
            '[1]',
            '{}',
          ),
        ),
        type: fc.option(fc.constantFrom('application/json', 'text/plain', 'image/png'), { nil: undefined }),
        file: fc.boolean(),
      });
      const form = fc.record({
        parts: fc.array(field, { maxLength: 6 }),
        withImage: fc.boolean(),
        cut: fc.option(fc.nat(), { nil: undefined }),
        contentType: fc.constantFrom(
          `multipart/form-data; boundary=${BOUNDARY}`,
          'multipart/form-data',
          'multipart/form-data; boundary=',
          'multipart/mixed; boundary=x',
        ),
      });
      await fc.assert(
        fc.asyncProperty(form, async ({ parts, withImage, cut, contentType }) => {
          const body = rawForm([
            ...parts.map(({ name, value, type, file }) => ({
              name,
              value,
              type,
              filename: file ? 'p.png' : undefined,
            })),
            ...(withImage ? goodParts() : []),
          ]);
          const payload = cut === undefined ? body : body.subarray(0, cut % (body.length + 1));
          await hostile.expectSurvived(env, await post(payload, contentType));
        }),
        { numRuns: hostile.NUM_RUNS },
      );
      // A well-formed form, as FormData writes it, still goes through.
      const good = await multipartBody({ deployment: hostile.DEPLOYMENT, plotType: hostile.PLOT_TYPE }, [
        { field: 'file', name: 'p.png', content: png },
      ]);
      const accepted = await post(good.payload, good.headers['content-type']);
      assert.ok(accepted.statusCode < 300, accepted.body);
      await hostile.assertVerdictReachesInflux(env);
    });
  });
}
