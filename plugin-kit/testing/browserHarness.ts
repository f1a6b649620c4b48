// The browser tests' harness: a page that mounts a plugin's components (the kit's page bundle of `entry`), behind a
// server that plays Grafana's proxy for each route given (the token is added here, never in the page), and Debian's
// Chromium to open it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { bundlePage } from '../build/pageBundle';
import { resolveProxyRequest, type DataSourceSettings } from './grafanaProxy';

export interface Harness {
  url: string;
  close(): Promise<void>;
}

/** Forwards a proxied request upstream; streams pass straight through, as Grafana's proxy does for text/event-stream. */
async function forward(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: { url: string; headers: Record<string, string> }
) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const upstream = await fetch(target.url, {
    method: request.method,
    headers: {
      ...(request.headers['content-type'] ? { 'content-type': request.headers['content-type'] } : {}),
      ...target.headers,
    },
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  }).catch(() => undefined);
  if (!upstream) {
    response.writeHead(502).end();
    return;
  }
  response.writeHead(upstream.status, Object.fromEntries(upstream.headers));
  response.flushHeaders();
  const reader = upstream.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    response.write(read.value);
  }
  response.end();
}

export async function startHarness(entry: string, proxies: DataSourceSettings[]): Promise<Harness> {
  const { script, styles } = await bundlePage(entry);
  const server = http.createServer((request, response) => {
    const target = proxies.map((proxy) => resolveProxyRequest(request.url!, proxy)).find(Boolean);
    if (target) {
      void forward(request, response, target);
    } else if (request.url === '/harness.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (request.url === '/harness.css') {
      response.writeHead(200, { 'content-type': 'text/css' }).end(styles);
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><meta charset="utf-8"><title>Hydra harness</title><link rel="stylesheet" href="/harness.css"></head><body><div id="root"></div><script type="module" src="/harness.js"></script></body></html>'
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Debian's Chromium, headless, with the flags this machine needs (ENVIRONMENT.md); CHROMIUM_PATH overrides. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
