// The benchmarks' HTTP client, in a process of its own (started with child_process.fork), so that a bench timing
// the server counts none of the client's CPU. It posts plot images to POST /api/v1/images over keep-alive
// connections, with multipart bodies assembled from buffers (no form encoder in the timed loop).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the bench asks: read the PNGs once, then post runs of them. */
export type LoadRequest =
  | { kind: 'setup'; serverUrl: string; imageDir: string; connections: number }
  | {
      kind: 'post';
      deployment: string;
      plotType: string;
      /** A new run makes the same bytes a new image (the dedup key holds the run). */
      run: number;
      /** Images `first` .. `first + count - 1`, wrapping around the PNGs read at setup. */
      first: number;
      count: number;
    };

export type LoadReply =
  | { kind: 'ready'; images: number }
  | {
      kind: 'posted';
      run: number;
      accepted: number;
      wallMs: number;
      /** This process's CPU while posting: what a bench in the server's process does not pay. */
      clientCpuMs: number;
    }
  | { kind: 'failed'; error: string };

let serverUrl: URL;
let agent: http.Agent;
let connections = 1;
let pngs: Buffer[] = [];

function multipart(fields: Record<string, string>, file: Buffer) {
  const boundary = `hydra-bench-${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plot.png"\r\n` +
    'Content-Type: image/png\r\n\r\n';
  return {
    body: Buffer.concat([Buffer.from(head + fileHead), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function postOne(fields: Record<string, string>, file: Buffer): Promise<void> {
  const { body, contentType } = multipart(fields, file);
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL('/api/v1/images', serverUrl),
      {
        method: 'POST',
        agent,
        headers: { 'content-type': contentType, 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 201) resolve();
          else
            reject(new Error(`upload answered ${response.statusCode}: ${Buffer.concat(chunks).toString()}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function post(request: Extract<LoadRequest, { kind: 'post' }>): Promise<LoadReply> {
  const fields = { deployment: request.deployment, plotType: request.plotType, run: String(request.run) };
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, request.count) }, async () => {
      while (next < request.count) {
        const index = request.first + next++;
        await postOne(fields, pngs[index % pngs.length]!);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    kind: 'posted',
    run: request.run,
    accepted: request.count,
    wallMs: performance.now() - started,
    clientCpuMs: (used.user + used.system) / 1000,
  };
}

async function answer(request: LoadRequest): Promise<LoadReply> {
  switch (request.kind) {
    case 'setup': {
      serverUrl = new URL(request.serverUrl);
      connections = request.connections;
      agent = new http.Agent({ keepAlive: true, maxSockets: connections });
      const files = (await fs.readdir(request.imageDir)).filter((file) => file.endsWith('.png')).sort();
      pngs = await Promise.all(files.map((file) => fs.readFile(path.join(request.imageDir, file))));
      return { kind: 'ready', images: pngs.length };
    }
    case 'post':
      return post(request);
  }
}

process.on('message', (request: LoadRequest) => {
  answer(request).then(
    (reply) => process.send!(reply),
    (error: Error) => process.send!({ kind: 'failed', error: error.message } satisfies LoadReply),
  );
});
