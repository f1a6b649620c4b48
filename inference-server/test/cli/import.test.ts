import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LabeledImageList, PlotTypeList } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');
const run = promisify(execFile);

test('hydra import sends a simulated, labeled folder: images, plot types and imported labels', async (t) => {
  const { app, tokens, defer } = await buildTestApp(t);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-import-'));
  defer(() => fs.rm(dir, { recursive: true, force: true }));
  await run(process.execPath, [
    HYDRA,
    'simulate',
    '--out',
    dir,
    '--runs',
    '2',
    '--bad-rate',
    '0.5',
    '--seed',
    '3',
    '--kinds',
    'CDC_occupancy,TOF_timing',
  ]);
  const manifest = (await fs.readFile(path.join(dir, 'manifest.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { label: string; kind: string });

  const { stderr } = await run(process.execPath, [
    HYDRA,
    'import',
    dir,
    '--deployment',
    'sim',
    '--register',
    '--server',
    url,
    '--token',
    tokens.admin,
  ]);
  assert.match(stderr, new RegExp(`${manifest.length} of ${manifest.length} images imported and labeled`));

  const plotTypes = (
    await app.inject({ url: '/api/v1/plot-types?deployment=sim', headers: auth(tokens.viewer) })
  ).json<PlotTypeList>();
  assert.deepEqual(plotTypes.items.map((p) => p.name).sort(), ['CDC_occupancy', 'TOF_timing']);
  const labeled: string[] = [];
  for (const plotType of plotTypes.items) {
    const { items } = (
      await app.inject({
        url: `/api/v1/labels?plotTypeId=${plotType.id}&filter=labeled`,
        headers: auth(tokens.viewer),
      })
    ).json<LabeledImageList>();
    for (const item of items) {
      assert.equal(item.label!.source, 'import');
      labeled.push(`${item.plotType}:${item.label!.class}`);
    }
  }
  assert.deepEqual(labeled.sort(), manifest.map((entry) => `${entry.kind}:${entry.label}`).sort());

  // A labeler may not import labels.
  const refused = await app.inject({
    method: 'POST',
    url: '/api/v1/labels',
    headers: auth(tokens.labeler),
    payload: { imageIds: [1], class: 'Good', source: 'import' },
  });
  assert.equal(refused.statusCode, 403);
});
