// The Grafana webhook's own time, from request to recorded event (the 202 comes once the event and its planned
// writes are committed): p50 and p99 over signed notifications, each a new alert, so each plans two writes.
// bench:alarm calls measureAlertWebhook on its own server; run alone it builds the app on a temp SQLite catalog:
//   node --import tsx bench/alert-webhook.ts [--count 300]
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.ts';
import type { ApiClient } from '../test/helpers/api.ts';
import { buildAppWithWriter, RecordingPvWriter } from '../test/alerts/alert-app.ts';
import { grafanaHeaders, grafanaNotification } from '../test/alerts/grafana.ts';

export interface AlertWebhookFigures {
  notifications: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

type WebhookSettings = Pick<
  Config,
  'HYDRA_ALERT_WEBHOOK_SECRET' | 'HYDRA_ALERT_SIGNATURE_HEADER' | 'HYDRA_ALERT_TIMESTAMP_HEADER'
>;

/**
 * Sends `count` signed notifications one after another to a running server, each a new alert on one of the plot
 * types in turn (their alarm PVs and the message PV are written after each answer); the times in percentiles.
 */
export async function measureAlertWebhook(
  client: ApiClient,
  settings: WebhookSettings,
  { count = 300, deployment = 'bench', plotTypes = ['webhook'] as readonly string[] } = {},
): Promise<AlertWebhookFigures> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(
      JSON.stringify(
        grafanaNotification([
          {
            status: i % 2 === 0 ? 'firing' : 'resolved',
            labels: { alertname: 'HydraBench', deployment, plot_type: plotTypes[i % plotTypes.length]! },
            summary: `bench alert ${i}`,
            fingerprint: `bench${String(i).padStart(11, '0')}`,
          },
        ]),
      ),
    );
    const headers = grafanaHeaders(body, {
      secret: settings.HYDRA_ALERT_WEBHOOK_SECRET,
      header: settings.HYDRA_ALERT_SIGNATURE_HEADER,
      timestampHeader: settings.HYDRA_ALERT_TIMESTAMP_HEADER,
    });
    const started = performance.now();
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/alerts/grafana',
      headers,
      payload: body,
    });
    times.push(performance.now() - started);
    if (response.statusCode !== 202)
      throw new Error(`the webhook answered ${response.statusCode}: ${response.body}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { notifications: count, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: times[times.length - 1]! };
}

export function formatAlertWebhookFigures(figures: AlertWebhookFigures): string {
  return (
    `Grafana webhook, request to recorded event: p50 ${figures.p50Ms.toFixed(1)} ms, ` +
    `p99 ${figures.p99Ms.toFixed(1)} ms, max ${figures.maxMs.toFixed(1)} ms (${figures.notifications} notifications)`
  );
}

async function main() {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '300' } } });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-alerts-'));
  const config = loadConfig({
    HYDRA_DATA_DIR: dataDir,
    HYDRA_LOG_LEVEL: 'error',
    HYDRA_WORKERS: '1',
    HYDRA_ALERT_WEBHOOK_SECRET: 'bench secret',
  });
  const writer = new RecordingPvWriter();
  const app = await buildAppWithWriter(config, writer);
  try {
    const figures = await measureAlertWebhook(app, config, { count: Number(values.count) });
    console.log(formatAlertWebhookFigures(figures));
    console.log(`(SQLite catalog; ${writer.puts.length} EPICS puts done meanwhile by a recording writer)`);
  } finally {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
