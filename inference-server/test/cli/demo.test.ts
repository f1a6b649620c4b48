import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Catalog } from '../../src/catalog/catalog.ts';
import { latestPlots } from '../../src/views/latest-plots.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');

test('hydra demo --duration feeds plots for that long, then prints the memory it used and stops', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-demo-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [HYDRA, 'demo', '--duration', '4', '--interval', '1', '--no-train', '--seed', '5'],
    {
      env: {
        ...process.env,
        HYDRA_PORT: '0',
        HYDRA_WORKERS: '1',
        HYDRA_DATA_DIR: dataDir,
        HYDRA_LOG_LEVEL: 'warn',
      },
    },
  );
  const sample =
    /rss \d+\.\d MiB \(heap \d+\.\d MiB, external \d+\.\d MiB; \d+ workers?: heap \d+\.\d MiB, wasm \d+\.\d MiB\)/;
  assert.match(stdout, new RegExp(`^memory at start: ${sample.source}$`, 'm'));
  assert.match(stdout, new RegExp(`^at the end, after 4 s: ${sample.source}$`, 'm'));
  assert.match(stdout, /^each minute: none \(under a minute\)$/m);
  assert.doesNotMatch(stdout, /demo models were/, '--no-train trains nothing');

  const catalog = Catalog.open(`sqlite:${path.join(dataDir, 'hydra.sqlite')}`);
  try {
    const plots = await latestPlots(catalog, (await catalog.deployments.require('demo')).id);
    assert.equal(plots.length, 7, 'plots of every simulated kind arrived');
  } finally {
    await catalog.close();
  }
});
