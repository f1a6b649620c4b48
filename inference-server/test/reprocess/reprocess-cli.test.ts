import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Catalog } from '../../src/catalog/catalog.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { classifiedScene, getJob, waitForJobEnd } from './reprocess-setup.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');
const execFileAsync = promisify(execFile);

test('hydra reprocess: start and follow to the end, compare, detach, Ctrl+C detaches without a terminal, cancel', async (t) => {
  const { app, tokens, databaseUrl } = await buildTestApp(t, 'sqlite');
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const scene = await classifiedScene(app, tokens, { runs: [1, 2, 3], perRun: 8 });
  const env = { ...process.env, HYDRA_URL: url, HYDRA_TOKEN: tokens.expert };
  const hydra = (...args: string[]) =>
    execFileAsync(process.execPath, [HYDRA, 'reprocess', ...args], { env });
  const select = ['--deployment', 'halld', '--plot-type', 'CDC_occupancy'];

  // Without a terminal, the progress is a plain line per tenth of the job and per change of status.
  const run = await hydra(
    'start',
    ...select,
    '--runs',
    '1-2',
    '--model-version',
    String(scene.challenger.id),
  );
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0]!, /^job (\d+): halld\/CDC_occupancy runs 1-2 with challenger v1$/);
  assert.ok(!run.stdout.includes('\r'), 'no carriage return outside a terminal');
  assert.ok(
    lines.some((line) => /\[#{30}\]\s+100%\s+16\/16\s+completed/.test(line)),
    run.stdout,
  );
  assert.match(
    lines.at(-1)!,
    /completed: 16 reprocessed, 0 failed of 16; compare it .*hydra reprocess compare/,
  );
  const jobId = Number(/^job (\d+)/.exec(lines[0]!)![1]);

  const compared = await hydra('compare', String(jobId));
  assert.match(compared.stdout, /16 images reprocessed, 16 with a live verdict, 0 agree \(0\.0%\)/);
  assert.match(compared.stdout, /Good → Bad: 8/);
  assert.match(compared.stdout, /Bad → Good: 8/);

  const detached = await hydra('start', ...select, '--runs', '3', '--detach');
  const detachedId = Number(/^job (\d+):.* 8 images queued/.exec(detached.stdout)![1]);
  await waitForJobEnd(app, tokens.viewer, detachedId);

  // Ctrl+C while following, with no terminal to ask on: the CLI detaches and the job goes on. Another replica
  // (this catalog connection) holds the job's images meanwhile, so that it is surely running when Ctrl+C comes.
  const replica = Catalog.open(databaseUrl);
  t.after(() => replica.close());
  const held = await replica.transaction(async (repositories) => {
    const job = await repositories.reprocessJobs.create({
      plotTypeId: scene.plotType.id,
      modelVersionId: scene.live.id,
      range: { runFrom: 1, runTo: 3, from: null, to: null },
      createdBy: 'test',
    });
    await repositories.reprocessJobs.claim('another-replica', 100, 60_000);
    return job;
  });
  const follower = spawn(process.execPath, [HYDRA, 'reprocess', 'follow', String(held.id)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  follower.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
  await waitFor(() => output.includes('0/24  running'), { what: 'the first progress line' });
  follower.kill('SIGINT');
  assert.equal(await exited, 0, output);
  assert.match(output, new RegExp(`detached; the job goes on: hydra reprocess follow ${held.id}`));
  assert.equal((await getJob(app, tokens.viewer, held.id)).status, 'running');

  const cancelled = await hydra('cancel', String(held.id));
  assert.match(cancelled.stdout, /cancelled: 0 reprocessed, 0 failed of 24/);
  const refused = await hydra('cancel', String(held.id)).catch(
    (error: { stderr: string; code: number }) => error,
  );
  assert.equal((refused as { code: number }).code, 1);
  assert.match(
    (refused as { stderr: string }).stderr,
    /Conflict \(409\): reprocessing job \d+ is already cancelled/,
  );
  await assert.rejects(hydra('start', ...select, '--runs', '1-x'), /--runs 1-x: write A-B/);
});
