import Fastify, { type FastifyInstance } from 'fastify';
import { hydraApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { PutOutcome, PvWriter } from '../../src/epics/pv-writer.ts';
import type { AlertEventList } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import {
  prepareEnvironment,
  type CleanupScope,
  type Engine,
  type TestEnvironment,
} from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { grafanaHeaders } from './grafana.ts';

export const SECRET = 'correct horse battery staple';

/** A PvWriter that records every put; `failing` makes puts fail (the IOC is down) until it is set back. */
export class RecordingPvWriter implements PvWriter {
  readonly enabled = true;
  readonly puts: PutOutcome[] = [];
  failing = false;
  /** Puts that fail before the next one succeeds (counted down). */
  failNext = 0;

  async put(pv: string, value: number | string): Promise<PutOutcome> {
    const fail = this.failing || this.failNext > 0;
    if (this.failNext > 0) this.failNext -= 1;
    const outcome: PutOutcome = fail
      ? { pv, value, ok: false, error: 'disconnected', at: Date.now() }
      : { pv, value, ok: true, at: Date.now() };
    this.puts.push(outcome);
    return outcome;
  }

  /** The successful puts, as [pv, value]. */
  written(): Array<[string, number | string]> {
    return this.puts.filter((p) => p.ok).map((p) => [p.pv, p.value]);
  }
}

/**
 * The real app, its alarm writes going to `writer`: the EPICS plugin's writer is swapped for it once the plugins
 * are loaded and before the app is ready, when the alert dispatcher starts.
 */
export async function buildAppWithWriter(config: Config, writer: PvWriter): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.HYDRA_LOG_LEVEL },
    pluginTimeout: 120_000,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  });
  await app.register(hydraApp, { config });
  app.epics = writer;
  await app.ready();
  return app;
}

export interface SendOptions {
  secret?: string;
  nowMs?: number;
  headers?: Record<string, string>;
}

/** Posts the notification signed as Grafana signs it, with the server's header names. */
export function postSigned(
  app: FastifyInstance,
  config: Config,
  notification: unknown,
  options: SendOptions = {},
) {
  const body = Buffer.from(JSON.stringify(notification));
  const headers = grafanaHeaders(body, {
    secret: options.secret ?? SECRET,
    header: config.HYDRA_ALERT_SIGNATURE_HEADER,
    timestampHeader: config.HYDRA_ALERT_TIMESTAMP_HEADER,
    nowMs: options.nowMs,
  });
  return app.inject({
    method: 'POST',
    url: '/api/v1/alerts/grafana',
    headers: { ...headers, ...options.headers },
    payload: body,
  });
}

export interface AlertApp extends TestEnvironment {
  app: FastifyInstance;
  config: Config;
  writer: RecordingPvWriter;
  send(notification: unknown, options?: SendOptions): ReturnType<typeof postSigned>;
  list(): Promise<AlertEventList>;
  /** The events once none of their writes is pending. */
  settled(): Promise<AlertEventList>;
}

/** The app on fresh resources, the webhook's secret set, with a recording writer; closed in `t.after`. */
export async function alertApp(
  t: CleanupScope,
  options: { engine?: Engine; env?: Record<string, string>; writer?: RecordingPvWriter } = {},
): Promise<AlertApp> {
  const environment = await prepareEnvironment(t, options.engine ?? 'sqlite', {
    HYDRA_ALERT_WEBHOOK_SECRET: SECRET,
    HYDRA_EPICS_PV_PREFIX: 'TEST:',
    HYDRA_ALERT_RETRY_MS: '20',
    ...options.env,
  });
  const config = loadConfig(environment.env);
  const writer = options.writer ?? new RecordingPvWriter();
  const app = await buildAppWithWriter(config, writer);
  environment.defer(() => app.close());
  const list = async () => {
    const response = await app.inject({
      url: '/api/v1/alerts?limit=1000',
      headers: auth(environment.tokens.viewer),
    });
    if (response.statusCode !== 200) throw new Error(`GET /api/v1/alerts: ${response.body}`);
    return response.json<AlertEventList>();
  };
  return {
    ...environment,
    app,
    config,
    writer,
    list,
    send: (notification, sendOptions) => postSigned(app, config, notification, sendOptions),
    settled: () =>
      waitFor(
        async () => {
          const events = await list();
          return events.items.every((e) => e.writes.every((w) => w.status !== 'pending')) && events;
        },
        { what: 'the alarm writes to finish' },
      ),
  };
}
