import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createApiToken } from '../src/plugins/app/auth.ts';
import { timeRounds } from './engines.ts';
const url = process.argv[2]!;
const paths = process.argv.slice(3);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'zz-'));
const app = await buildApp(
  loadConfig({
    HYDRA_DATA_DIR: dataDir,
    HYDRA_DATABASE_URL: url,
    HYDRA_LOG_LEVEL: 'silent',
    HYDRA_WORKERS: '1',
    HYDRA_INFLUX_SERVER_INTERVAL_MS: '0',
  }),
);
const headers = { authorization: `Bearer ${await createApiToken(app.catalog, 'zz', 'viewer')}` };
for (const p of paths) {
  const r = await timeRounds(200, async () => {
    const res = await app.inject({ url: p, headers });
    if (res.statusCode !== 200) throw new Error(res.body);
  });
  console.log(p, r.p50.toFixed(2), r.p99.toFixed(2));
}
await app.close();
