import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

/** A private InfluxDB 1.x (the Debian `influxd` binary) on a free loopback port, with its data in a temp folder. */
export class InfluxServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<InfluxServer> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-influx-'));
    const port = await freePort();
    const bindPort = await freePort();
    await fs.writeFile(
      path.join(dir, 'influxdb.conf'),
      [
        `bind-address = "127.0.0.1:${bindPort}"`,
        'reporting-disabled = true',
        `[meta]\n  dir = "${dir}/meta"`,
        `[data]\n  dir = "${dir}/data"\n  wal-dir = "${dir}/wal"\n  query-log-enabled = false`,
        `[http]\n  bind-address = "127.0.0.1:${port}"\n  log-enabled = false`,
        '[monitor]\n  store-enabled = false',
      ].join('\n'),
    );
    const server = new InfluxServer(dir, port);
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('influxd', ['-config', path.join(this.dir, 'influxdb.conf')], { stdio: 'ignore' });
    await waitFor(async () => (await fetch(`${this.url}/ping`)).status === 204, {
      what: 'InfluxDB to answer /ping',
    });
  }

  /** Lets the test process exit while this server runs; it is stopped when the process exits. */
  unref(): void {
    const child = this.process;
    child?.unref();
    process.once('exit', () => {
      child?.kill('SIGKILL');
      rmSync(this.dir, { recursive: true, force: true });
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs an InfluxQL query and returns the rows of every series as objects. */
export async function influxQuery(baseUrl: string, database: string, influxql: string) {
  const url = `${baseUrl}/query?db=${encodeURIComponent(database)}&q=${encodeURIComponent(influxql)}`;
  const body = (await (await fetch(url)).json()) as {
    results: Array<{ series?: Array<{ columns: string[]; values: unknown[][] }>; error?: string }>;
  };
  const result = body.results[0];
  if (result?.error) throw new Error(result.error);
  return (result?.series ?? []).flatMap((series) =>
    series.values.map((row) => Object.fromEntries(series.columns.map((column, i) => [column, row[i]]))),
  );
}

let sharedInflux: Promise<string> | undefined;

/**
 * The URL of the InfluxDB tests write to: the one .ci/run started (HYDRA_TEST_INFLUX_URL), else one started
 * here for this test process. Each test uses a database of its own.
 */
export function sharedInfluxUrl(): Promise<string> {
  sharedInflux ??= (async () => {
    const external = process.env.HYDRA_TEST_INFLUX_URL;
    if (external) return external.replace(/\/$/, '');
    const server = await InfluxServer.create();
    server.unref();
    return server.url;
  })();
  return sharedInflux;
}

const POSTGRES_ADMIN_URL =
  process.env.HYDRA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one test; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hydra_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
