import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendSrv } from '../../testing/backendSrv';
import { HydraClient } from './client';
import { HydraApiError } from './errors';

// A real HTTP server that fails the way gateways do, to see the retries and the typed error.
let server: http.Server;
let baseUrl = '';
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const count = (hits.get(request.url!) ?? 0) + 1;
    hits.set(request.url!, count);
    if (request.url === '/flaky/health' && count < 3) {
      response.writeHead(503).end();
    } else if (request.url === '/down/health') {
      response.writeHead(502).end();
    } else if (request.url === '/problem/health') {
      response
        .writeHead(403, { 'content-type': 'application/problem+json' })
        .end(
          JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'role viewer may not label' })
        );
    } else {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', version: '0.1.0' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const client = (prefix: string) =>
  new HydraClient(`${baseUrl}/${prefix}`, () => createBackendSrv(), { retryDelayMs: 1 });

describe('HydraClient', () => {
  it('retries 502/503/504 and then succeeds', async () => {
    expect(await client('flaky').health()).toEqual({ status: 'ok', version: '0.1.0' });
    expect(hits.get('/flaky/health')).toBe(3);
  });

  it('gives up after its retries with an `unreachable` error', async () => {
    const error = await client('down')
      .health()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HydraApiError);
    expect(error).toMatchObject({ kind: 'unreachable', status: 502 });
    expect(hits.get('/down/health')).toBe(3);
  });

  it('does not retry a problem answer, and keeps its detail', async () => {
    const error = await client('problem')
      .health()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'forbidden',
      status: 403,
      title: 'Forbidden',
      detail: 'role viewer may not label',
    });
    expect(hits.get('/problem/health')).toBe(1);
  });

  it('builds URLs with encoded parameters and no empty ones', () => {
    expect(client('x').url('/predictions', { deployment: 'hall d', plotType: undefined, limit: 5 })).toBe(
      `${baseUrl}/x/predictions?deployment=hall%20d&limit=5`
    );
  });
});
