import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import type { Me, PredictionList } from '../../src/schemas/index.ts';
import { auth, createPlotType, httpClient } from '../helpers/api.ts';
import { prepareEnvironment } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { modelFolderEntries, saveBrightnessModel } from '../helpers/model.ts';
import { ServerProcess } from '../helpers/server-process.ts';
import { waitFor } from '../helpers/services.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');
const execFileAsync = promisify(execFile);

test('the CLI: db migrate, token create, model add, ingest of files and of a watched folder', async (t) => {
  const environment = await prepareEnvironment(t, 'sqlite');
  const env = { ...process.env, ...environment.env };
  const hydra = (...args: string[]) => execFileAsync(process.execPath, [HYDRA, ...args], { env });

  assert.match((await hydra('db', 'migrate')).stdout, /the catalog is up to date/);
  const created = await hydra('token', 'create', '--role', 'ingest', '--name', 'daq-1');
  const daqToken = created.stdout.trim();
  assert.match(daqToken, /^hydra_[\w-]{20,}$/);
  assert.match(created.stderr, /role ingest created/);
  await assert.rejects(
    hydra('token', 'create', '--role', 'root'),
    /Allowed choices are viewer, labeler, expert, admin, ingest/,
  );

  const server = await ServerProcess.start(environment.env);
  environment.defer(() => server.stop());
  const api = httpClient(server.url);
  const grafana = await hydra('token', 'create', '--role', 'labeler', '--name', 'grafana', '--grafana-proxy');
  assert.match(grafana.stderr, /role labeler created, acting for the Grafana user each request names/);
  const grafanaUser = await api.inject({
    url: '/api/v1/me',
    headers: { ...auth(grafana.stdout.trim()), 'x-grafana-user': 'alice' },
  });
  assert.deepEqual(
    [grafanaUser.json<Me>().name, grafanaUser.json<Me>().token],
    ['alice', { name: 'grafana', grafanaProxy: true }],
  );
  await createPlotType(api, environment.tokens.admin, 'halld', 'CDC_occupancy');
  const addModel = (source: string, ...options: string[]) =>
    hydra('model', 'add', source, '--deployment', 'halld', '--plot-type', 'CDC_occupancy', ...options);
  const added = await addModel(
    await saveBrightnessModel(),
    '--classes',
    'Good,Bad',
    '--thresholds',
    'Bad=0.8',
    '--activate',
  );
  assert.match(added.stdout, /registered CDC_occupancy model "default" version 1 .*active/);
  // The same model as a zip of its folder: a second, inactive version.
  const zipped = path.join(environment.dataDir, 'brightness.zip');
  await fs.writeFile(zipped, zipSync(await modelFolderEntries(await saveBrightnessModel())));
  const addedZip = await addModel(zipped, '--classes', 'Good,Bad');
  assert.match(addedZip.stdout, /registered CDC_occupancy model "default" version 2 .*ready/);

  const feed = path.join(environment.dataDir, 'feed');
  await fs.mkdir(path.join(feed, '131458'), { recursive: true });
  const once = path.join(feed, '131458', 'CDC_occupancy.png');
  await fs.writeFile(once, await plotPng({ brightness: 0.2, seed: 1 }));
  const sent = await hydra(
    'ingest',
    once,
    '--deployment',
    'halld',
    '--server',
    server.url,
    '--token',
    daqToken,
  );
  assert.match(sent.stdout, /image \d+ pending/);
  const refused = await hydra(
    'ingest',
    once,
    '--deployment',
    'halld',
    '--server',
    server.url,
    '--token',
    'hydra_wrong',
  ).catch((error: { stderr: string; code: number }) => error);
  assert.equal((refused as { code: number }).code, 1);
  assert.match((refused as { stderr: string }).stderr, /Unauthorized \(401\)/);

  const predictions = async () =>
    (
      await api.inject({
        url: '/api/v1/predictions?deployment=halld',
        headers: auth(environment.tokens.viewer),
      })
    ).json<PredictionList>().items;
  await waitFor(async () => (await predictions()).length === 1, { what: 'the first verdict' });
  assert.deepEqual(
    (await predictions()).map((p) => [p.run, p.verdict, p.confirmed]),
    [[131458, 'Bad', true]],
  );

  // The watcher sends what is already there (harmless: known images), then what is written later.
  const watcher = spawn(
    process.execPath,
    [HYDRA, 'ingest', '--watch', feed, '--deployment', 'halld', '--server', server.url, '--token', daqToken],
    { env },
  );
  let watcherOutput = '';
  watcher.stdout.on('data', (chunk: Buffer) => (watcherOutput += chunk.toString()));
  watcher.stderr.on('data', (chunk: Buffer) => (watcherOutput += chunk.toString()));
  environment.defer(() => void watcher.kill('SIGKILL'));
  await waitFor(() => /already known/.test(watcherOutput) && /watching: every new/.test(watcherOutput), {
    what: 'the watcher to pick up the existing file and say it is watching',
  });
  await fs.mkdir(path.join(feed, '131459'));
  await fs.writeFile(
    path.join(feed, '131459', 'CDC_occupancy.png'),
    await plotPng({ brightness: 0.9, seed: 2 }),
  );
  await waitFor(async () => (await predictions()).length === 2, {
    what: 'the watched plot to be classified',
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the watcher printed:\n${watcherOutput}`);
  });
  assert.deepEqual((await predictions())[0]!.run, 131459);
  assert.equal((await predictions())[0]!.verdict, 'Good');
  const exited = new Promise((resolve) => watcher.once('exit', resolve));
  watcher.kill('SIGINT');
  await exited;
});

test('a wrong setting stops the CLI with a message that names it', async () => {
  const failed = await execFileAsync(process.execPath, [HYDRA, 'db', 'migrate'], {
    env: { ...process.env, HYDRA_DATABASE_URL: 'mysql://nope', HYDRA_PORT: 'eighty' },
  }).catch((error: { stderr: string; code: number }) => error);
  assert.equal((failed as { code: number }).code, 1);
  assert.match((failed as { stderr: string }).stderr, /HYDRA_DATABASE_URL must match pattern/);
  assert.match((failed as { stderr: string }).stderr, /HYDRA_PORT must be integer/);
});
