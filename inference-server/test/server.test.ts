import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { prepareEnvironment } from './helpers/build-app.ts';
import { ServerProcess } from './helpers/server-process.ts';
import { freePort, waitFor } from './helpers/services.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/hydra.js');
/** Processes whose environment holds `entry` (the server under `script` is not a child of this one). */
async function processesWith(entry: string): Promise<string[]> {
  const pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const environments = await Promise.all(
    pids.map((pid) => fs.readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')),
  );
  return pids.filter((_, i) => environments[i]!.split('\0').includes(entry));
}

const LISTENING = /Server listening at http:\/\/127\.0\.0\.1:\d+/;

test('on a terminal the server logs pretty lines (pino-pretty), and goes when the terminal does', async (t) => {
  const { env } = await prepareEnvironment(t, 'sqlite', { HYDRA_INFLUX_URL: '', HYDRA_AUTH: 'false' });
  const port = await freePort();
  // util-linux `script` runs the server on a pseudo-terminal, as a person's shell would.
  const child = spawn('script', ['-qec', `'${process.execPath}' '${HYDRA}' serve`, '/dev/null'], {
    env: { ...process.env, ...env, HYDRA_PORT: String(port), HYDRA_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  await waitFor(() => LISTENING.test(output), { timeoutMs: 60_000, what: `the listening line in ${output}` });
  // Colours are ANSI escapes; without them a line reads `[HH:MM:SS.mmm] INFO: message`.
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  assert.match(plain, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at/m);
  assert.match(plain, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: TensorFlow\.js backend: wasm/m);
  assert.doesNotMatch(plain, /"level":\s*30/, 'no JSON lines');
  assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status, 200);

  // The terminal closes (SIGHUP to the server): the server must close too, not linger without its terminal.
  assert.notDeepEqual(await processesWith(`HYDRA_PORT=${port}`), [], 'the server process is found');
  child.kill('SIGTERM');
  await exited;
  await waitFor(async () => (await processesWith(`HYDRA_PORT=${port}`)).length === 0, {
    timeoutMs: 20_000,
    what: 'the server process to exit',
  });
});

test('anywhere else the server logs JSON lines', async (t) => {
  const { env } = await prepareEnvironment(t, 'sqlite', { HYDRA_INFLUX_URL: '', HYDRA_AUTH: 'false' });
  const server = await ServerProcess.start(env);
  t.after(() => server.stop());
  await waitFor(() => LISTENING.test(server.log), { what: 'the listening line' });
  const lines = server.log.trim().split('\n');
  const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; time: number });
  const listening = records.find((record) => LISTENING.test(record.msg));
  assert.equal(listening?.level, 30);
  assert.ok(Number.isInteger(listening.time));
});
