import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { uploadImage } from '../../src/cli/ingest-client.ts';

// A stand-in server: the real upload limit's window is a minute, too long to wait for in a test.
test('an upload that gets 429 waits Retry-After seconds and is sent again', async (t) => {
  const arrivals: number[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(Date.now());
      if (arrivals.length === 1) {
        response
          .writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '1' })
          .end(
            JSON.stringify({ type: '/problems/too-many-requests', title: 'Too many requests', status: 429 }),
          );
      } else {
        response
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ image: { id: 7 }, duplicate: false }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const result = await uploadImage({ serverUrl: `http://127.0.0.1:${port}` }, Buffer.from('png'), 'a.png', {
    deployment: 'halld',
    plotType: 'CDC_occupancy',
  });
  assert.equal(result.image.id, 7);
  assert.equal(arrivals.length, 2);
  assert.ok(arrivals[1]! - arrivals[0]! >= 1000, `sent again after ${arrivals[1]! - arrivals[0]!} ms`);
});
