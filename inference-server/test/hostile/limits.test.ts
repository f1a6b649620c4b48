import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES, type TestApp } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { assertProblem, suiteScope } from './invariants.ts';

const REQUEST_TIMEOUT_MS = 1500;

/**
 * Opens a raw connection and sends the head of an upload, then feeds its body with `feed` until the server
 * closes the connection; resolves to how long that took.
 */
async function closedAfter(
  baseUrl: URL,
  token: string,
  feed: (socket: net.Socket) => NodeJS.Timeout,
): Promise<number> {
  const socket = net.connect(Number(baseUrl.port), baseUrl.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  socket.write(
    `POST /api/v1/images HTTP/1.1\r\nhost: ${baseUrl.host}\r\nauthorization: Bearer ${token}\r\n` +
      'content-type: multipart/form-data; boundary=b\r\ntransfer-encoding: chunked\r\n\r\n',
  );
  const timer = feed(socket);
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(timer);
  return performance.now() - started;
}

/** /health over real HTTP, timed: what a load balancer sees while hostile connections hang on. */
async function healthMs(baseUrl: URL): Promise<number> {
  const started = performance.now();
  const response = await fetch(new URL('/api/v1/health', baseUrl));
  assert.equal(response.status, 200);
  await response.body?.cancel();
  return performance.now() - started;
}

for (const engine of ENGINES) {
  describe(`resource limits, over real HTTP (${engine})`, () => {
    let env: TestApp;
    let baseUrl: URL;
    const scope = suiteScope();
    before(async () => {
      env = await buildTestApp(scope, engine, {
        HYDRA_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        HYDRA_EVENT_STREAMS_PER_TOKEN: '1',
        HYDRA_EVENT_STREAM_BUFFER_BYTES: '1024',
      });
      baseUrl = new URL(await env.app.listen({ port: 0, host: '127.0.0.1' }));
    });

    for (const [kind, everyMs, chunk] of [
      ['an endless body', 20, `400\r\n${'x'.repeat(0x400)}\r\n`],
      ['a body trickled a byte at a time', 200, '1\r\nx\r\n'],
    ] as const) {
      test(`${kind} is closed after HYDRA_REQUEST_TIMEOUT_MS, and /health answers meanwhile`, async () => {
        const health: number[] = [];
        const probe = setInterval(() => void healthMs(baseUrl).then((ms) => health.push(ms)), 250);
        const elapsed = await closedAfter(baseUrl, env.tokens.ingest, (socket) =>
          setInterval(() => socket.write(chunk), everyMs),
        );
        clearInterval(probe);
        assert.ok(elapsed >= REQUEST_TIMEOUT_MS - 50, `closed after ${elapsed.toFixed(0)} ms`);
        // Node checks request timeouts once a second.
        assert.ok(elapsed < REQUEST_TIMEOUT_MS + 2500, `closed after ${elapsed.toFixed(0)} ms`);
        assert.ok(health.length >= 3, 'health was probed while the body came');
        assert.ok(
          Math.max(...health) < 100,
          `/health took ${health.map((ms) => ms.toFixed(0)).join(', ')} ms`,
        );
      });
    }

    test('event streams are capped per token, and a reader that stops reading is dropped', async () => {
      const stream = () => fetch(new URL('/api/v1/events', baseUrl), { headers: auth(env.tokens.viewer) });
      const first = await stream();
      assert.equal(first.status, 200);
      const second = await stream();
      assert.equal(second.status, 429);
      assert.match(second.headers.get('content-type')!, /problem\+json/);
      assert.match(((await second.json()) as { detail: string }).detail, /HYDRA_EVENT_STREAMS_PER_TOKEN/);

      // The first reader never reads again: events pile up in its socket until the server drops it.
      const padding = 'x'.repeat(64 * 1024);
      await waitFor(
        async () => {
          env.app.liveEvents.publish('training', { id: 1, deployment: padding } as never);
          const again = await stream();
          if (again.status === 200) await again.body?.cancel();
          return again.status === 200;
        },
        { what: 'the stalled stream to be dropped', intervalMs: 10 },
      );
      await first.body?.cancel().catch(() => undefined);
    });

    test('an anonymous client gets 401 with WWW-Authenticate before its body is read or validated', async () => {
      const response = await env.app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        payload: { name: 'not\na name' },
      });
      assertProblem(response, 401, /Authorization: Bearer/);
      assert.match(String(response.headers['www-authenticate']), /^Bearer/);
    });
  });
}
