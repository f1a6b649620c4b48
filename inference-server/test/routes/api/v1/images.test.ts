import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { auth, createPlotType, multipartBody, uploadPlot } from '../../../helpers/api.ts';
import { buildTestApp, type TestApp } from '../../../helpers/build-app.ts';
import { plotPng } from '../../../helpers/images.ts';

/**
 * A valid 30000×30000 grayscale PNG of a few dozen kilobytes: rows of zeros deflate to almost nothing, so
 * only the pixel limit can stop it.
 */
function decompressionBombPng(size = 30_000): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale
  const rows = zlib.deflateSync(Buffer.alloc((size + 1) * size), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('POST /api/v1/images refuses bad input with a useful problem', () => {
  let env: TestApp;
  const fields = { deployment: 'halld', plotType: 'CDC_occupancy', run: '131458' };

  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  before(async () => {
    // One app for the whole suite: these checks only read and refuse.
    env = await buildTestApp({ after: (cleanup) => cleanups.push(cleanup) }, 'sqlite', {
      HYDRA_MAX_UPLOAD_BYTES: String(2 * 1024 * 1024),
    });
    await createPlotType(env.app, env.tokens.admin, 'halld', 'CDC_occupancy');
  });

  async function expectProblem(
    response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
    status: number,
    detail: RegExp,
  ) {
    assert.equal(response.statusCode, status);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const problem = response.json() as { status: number; detail: string; type: string; title: string };
    assert.equal(problem.status, status);
    assert.ok(problem.type && problem.title);
    assert.match(problem.detail, detail);
  }

  test('a corrupt PNG (valid header, broken data) is 422', async () => {
    const png = await plotPng({ brightness: 0.5, seed: 7 });
    const corrupt = Buffer.concat([png.subarray(0, 60), Buffer.alloc(200, 0x41), png.subarray(260)]);
    const { response } = await uploadPlot(env.app, env.tokens.ingest, fields, corrupt);
    await expectProblem(response, 422, /corrupt: the CRC of its \w+ chunk/);
    const truncated = await uploadPlot(env.app, env.tokens.ingest, fields, png.subarray(0, png.length - 40));
    await expectProblem(truncated.response, 422, /truncated/);
  });

  test('a text file named .png is 415', async () => {
    const { response } = await uploadPlot(
      env.app,
      env.tokens.ingest,
      fields,
      Buffer.from('run 131458 looks fine\n'),
      'plot.png',
    );
    await expectProblem(response, 415, /not a PNG or JPEG/);
  });

  test('a file over the size limit is 413', async () => {
    const big = await sharp({
      create: {
        width: 2000,
        height: 2000,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    assert.ok(big.length > 2 * 1024 * 1024);
    const { response } = await uploadPlot(env.app, env.tokens.ingest, fields, big);
    await expectProblem(response, 413, /limit/i);
  });

  test('a decompression bomb over the pixel limit is 413, refused from its header', async () => {
    const bomb = decompressionBombPng();
    assert.ok(bomb.length < 2 * 1024 * 1024, `bomb is ${bomb.length} bytes`);
    const started = performance.now();
    const { response } = await uploadPlot(env.app, env.tokens.ingest, fields, bomb);
    await expectProblem(response, 413, /30000×30000 .* over the limit/);
    assert.ok(performance.now() - started < 2000, 'refused without decoding the pixels');
  });

  test('a missing field is 400 and names the field', async () => {
    const { response } = await uploadPlot(
      env.app,
      env.tokens.ingest,
      { plotType: 'CDC_occupancy' },
      await plotPng({ brightness: 0.5, seed: 8 }),
    );
    await expectProblem(response, 400, /missing field deployment/);
  });

  test('a wrongly typed field is 400 and names the field', async () => {
    const { response } = await uploadPlot(
      env.app,
      env.tokens.ingest,
      { ...fields, run: 'last-night' },
      await plotPng({ brightness: 0.5, seed: 9 }),
    );
    await expectProblem(response, 400, /run/);
  });

  test('a missing file is 400', async () => {
    const body = await multipartBody(fields, []);
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/images',
      headers: { ...auth(env.tokens.ingest), ...body.headers },
      payload: body.payload,
    });
    await expectProblem(response, 400, /exactly one image file/);
  });

  test('a JSON body instead of multipart is 415', async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/images',
      headers: auth(env.tokens.ingest),
      payload: fields,
    });
    await expectProblem(response, 415, /multipart/);
  });

  test('an unknown deployment or plot type is 422 and says how to register it', async () => {
    const png = await plotPng({ brightness: 0.5, seed: 10 });
    const unknownDeployment = await uploadPlot(
      env.app,
      env.tokens.ingest,
      { ...fields, deployment: 'hallz' },
      png,
    );
    await expectProblem(
      unknownDeployment.response,
      422,
      /deployment "hallz" is not registered.*HYDRA_AUTO_REGISTER/,
    );
    const unknownPlotType = await uploadPlot(
      env.app,
      env.tokens.ingest,
      { ...fields, plotType: 'BCAL_nope' },
      png,
    );
    await expectProblem(unknownPlotType.response, 422, /plot type "BCAL_nope" is not registered/);
  });

  test('a missing or wrong token is 401, and a role without the right is 403', async () => {
    const png = await plotPng({ brightness: 0.5, seed: 11 });
    const body = await multipartBody(fields, [{ field: 'file', name: 'p.png', content: png }]);
    const send = (headers: Record<string, string>) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/images',
        headers: { ...headers, ...body.headers },
        payload: body.payload,
      });
    await expectProblem(await send({}), 401, /Authorization: Bearer/);
    await expectProblem(await send(auth('hydra_not-a-real-token')), 401, /not known/);
    await expectProblem(await send(auth(env.tokens.viewer)), 403, /role viewer, which may not ingest/);
    const read = await env.app.inject({
      url: '/api/v1/plots?deployment=halld',
      headers: auth(env.tokens.ingest),
    });
    await expectProblem(read, 403, /role ingest, which may not read/);
  });

  test('the same image twice is one image, and the second answer says so', async () => {
    const png = await plotPng({ brightness: 0.5, seed: 12 });
    const first = await uploadPlot(env.app, env.tokens.ingest, fields, png);
    const second = await uploadPlot(env.app, env.tokens.ingest, fields, png);
    assert.equal(first.response.statusCode, 201);
    assert.equal(second.response.statusCode, 200);
    assert.equal(second.result!.duplicate, true);
    assert.equal(second.result!.image.id, first.result!.image.id);
    // The same bytes in another run are another observation.
    const otherRun = await uploadPlot(env.app, env.tokens.ingest, { ...fields, run: '131459' }, png);
    assert.equal(otherRun.response.statusCode, 201);
    assert.notEqual(otherRun.result!.image.id, first.result!.image.id);
    assert.equal(otherRun.result!.image.sha256, first.result!.image.sha256);
  });

  test('an unknown image is 404 and an unknown route is a 404 problem', async () => {
    await expectProblem(
      await env.app.inject({ url: '/api/v1/images/999999', headers: auth(env.tokens.viewer) }),
      404,
      /image 999999/,
    );
    await expectProblem(
      await env.app.inject({ url: '/api/v1/nothing-here', headers: auth(env.tokens.viewer) }),
      404,
      /no route/,
    );
  });

  test('files and thumbnails are served with long cache headers', async () => {
    const png = await plotPng({ brightness: 0.3, seed: 13, width: 800, height: 600 });
    const { result } = await uploadPlot(env.app, env.tokens.ingest, fields, png);
    const file = await env.app.inject({ url: result!.image.fileUrl, headers: auth(env.tokens.viewer) });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.match(String(file.headers['cache-control']), /immutable/);
    assert.deepEqual(file.rawPayload, png);
    const thumbnail = await env.app.inject({
      url: `${result!.image.thumbnailUrl}?width=200`,
      headers: auth(env.tokens.viewer),
    });
    assert.equal(thumbnail.statusCode, 200);
    const meta = await sharp(thumbnail.rawPayload).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, 200);
    assert.equal(meta.height, 150);
  });
});

test('with HYDRA_AUTO_REGISTER unknown deployments and plot types are created on ingest', async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_AUTO_REGISTER: 'true' });
  const { response, result } = await uploadPlot(
    app,
    tokens.ingest,
    { deployment: 'hallb', plotType: 'ECAL_rates' },
    await plotPng({ brightness: 0.5, seed: 1 }),
  );
  assert.equal(response.statusCode, 201, response.body);
  assert.equal(result!.image.plotType, 'ECAL_rates');
  assert.equal(result!.image.status, 'no_model');
});
