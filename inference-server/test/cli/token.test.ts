import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApp } from '../../src/app.ts';
import { Catalog } from '../../src/catalog/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { createApiToken } from '../../src/plugins/app/auth.ts';
import { auth } from '../helpers/api.ts';
import { prepareEnvironment } from '../helpers/build-app.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');
const execFileAsync = promisify(execFile);

test('hydra token list and revoke: by name, by id where names repeat; a revoked token is refused', async (t) => {
  const environment = await prepareEnvironment(t, 'sqlite');
  const hydra = (...args: string[]) =>
    execFileAsync(process.execPath, [HYDRA, ...args], { env: { ...process.env, ...environment.env } });
  const catalog = Catalog.open(environment.databaseUrl);
  const [firstShift, secondShift] = [
    await createApiToken(catalog, 'shift', 'labeler'),
    await createApiToken(catalog, 'shift', 'labeler'),
  ];
  const shiftIds = (await catalog.tokens.list({ name: 'shift' })).map((row) => row.id);
  await catalog.close();

  const listed = (await hydra('token', 'list')).stdout.trim().split('\n');
  assert.match(listed[0]!, /^id +name +role +created +last used$/);
  assert.deepEqual(
    listed.slice(1).map((line) => line.split(/ +/).slice(1, 3).join(' ')),
    [
      'test-viewer viewer',
      'test-labeler labeler',
      'test-expert expert',
      'test-admin admin',
      'test-ingest ingest',
      'grafana labeler',
    ].concat(['shift labeler', 'shift labeler']),
  );

  assert.match(
    (await hydra('token', 'revoke', 'test-viewer')).stdout,
    /token "test-viewer" \(role viewer\) revoked/,
  );
  await assert.rejects(
    hydra('token', 'revoke', 'shift'),
    new RegExp(`2 tokens are named "shift" \\(ids ${shiftIds.join(', ')}\\): revoke one with --id`),
  );
  assert.match((await hydra('token', 'revoke', '--id', String(shiftIds[0]))).stdout, /token "shift"/);

  const app = await buildApp(loadConfig(environment.env));
  environment.defer(() => app.close());
  const status = async (token: string) =>
    (await app.inject({ url: '/api/v1/me', headers: auth(token) })).statusCode;
  assert.equal(await status(environment.tokens.viewer), 401);
  assert.equal(await status(firstShift), 401);
  assert.equal(await status(secondShift), 200, 'the other token of that name still works');
});
