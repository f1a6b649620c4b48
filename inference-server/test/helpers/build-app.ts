import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { Catalog } from '../../src/catalog/catalog.ts';
import type { Role } from '../../src/enums.ts';
import { createApiToken } from '../../src/plugins/app/auth.ts';
import { createPostgresDatabase, sharedInfluxUrl } from './services.ts';

export type Engine = 'sqlite' | 'postgres';

/** A test context, or a suite's `{ after }` from node:test. */
export interface CleanupScope {
  after(fn: () => Promise<void> | void): void;
}
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

export interface TestEnvironment {
  dataDir: string;
  databaseUrl: string;
  influxUrl: string;
  influxDatabase: string;
  /** HYDRA_* variables for a server (in-process or child process) on these resources. */
  env: Record<string, string>;
  tokens: Record<Role, string>;
  /** A labeler token for Grafana's proxy routes, named "grafana": the user its requests name in X-Grafana-User acts. */
  grafanaToken: string;
  /** Adds a cleanup step; steps run last-in, first-out after the test (node:test runs `after` hooks in order). */
  defer(step: () => Promise<unknown> | void): void;
}

/**
 * Resources for one test: a temp data folder, a catalog (SQLite file or a fresh PostgreSQL database), an
 * InfluxDB database of its own, one token per role and a Grafana proxy token. Everything is removed in `t.after`.
 */
export async function prepareEnvironment(
  t: CleanupScope,
  engine: Engine,
  extraEnv: Record<string, string> = {},
): Promise<TestEnvironment> {
  const steps: Array<() => Promise<unknown> | void> = [];
  const defer = (step: () => Promise<unknown> | void) => void steps.push(step);
  t.after(async () => {
    for (const step of steps.reverse()) await step();
  });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-test-'));
  defer(() => fs.rm(dataDir, { recursive: true, force: true }));
  let databaseUrl = `sqlite:${path.join(dataDir, 'hydra.sqlite')}`;
  if (engine === 'postgres') {
    const database = await createPostgresDatabase();
    databaseUrl = database.url;
    defer(database.drop);
  }
  const influxDatabase = `hydra_test_${path.basename(dataDir).replace(/\W/g, '_')}`;
  const influxUrl = extraEnv.HYDRA_INFLUX_URL ?? `${await sharedInfluxUrl()}/${influxDatabase}`;

  const catalog = Catalog.open(databaseUrl);
  await catalog.migrate();
  const roles: Role[] = ['viewer', 'labeler', 'expert', 'admin', 'ingest'];
  const tokens = Object.fromEntries(
    await Promise.all(roles.map(async (role) => [role, await createApiToken(catalog, `test-${role}`, role)])),
  ) as Record<Role, string>;
  const grafanaToken = await createApiToken(catalog, 'grafana', 'labeler', { grafanaProxy: true });
  await catalog.close();

  const env = {
    HYDRA_DATA_DIR: dataDir,
    HYDRA_DATABASE_URL: databaseUrl,
    HYDRA_INFLUX_URL: influxUrl,
    HYDRA_INFLUX_FLUSH_MS: '100',
    HYDRA_LOG_LEVEL: process.env.HYDRA_TEST_LOG_LEVEL ?? 'silent',
    HYDRA_WORKERS: '1',
    HYDRA_BATCH_WAIT_MS: '20',
    // Server-health points are off unless a test turns them on: tests count the points InfluxDB holds.
    HYDRA_INFLUX_SERVER_INTERVAL_MS: '0',
    // Tests post thousands of plots a minute with one token; test/plugins/rate-limit.test.ts sets its own limit.
    HYDRA_UPLOADS_PER_MINUTE: '1000000',
    ...extraEnv,
  };
  return {
    dataDir,
    databaseUrl,
    influxUrl,
    influxDatabase: influxUrl.split('/').pop()!,
    env,
    tokens,
    grafanaToken,
    defer,
  };
}

export interface TestApp extends TestEnvironment {
  app: FastifyInstance;
  config: Config;
}

/** The real app, in process, on the environment's resources; closed in `t.after`. */
export async function buildTestApp(
  t: CleanupScope,
  engine: Engine = 'sqlite',
  extraEnv: Record<string, string> = {},
): Promise<TestApp> {
  const environment = await prepareEnvironment(t, engine, extraEnv);
  const config = loadConfig(environment.env);
  const app = await buildApp(config);
  environment.defer(() => app.close());
  return { ...environment, app, config };
}
