import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LogbookImportResult, LogbookList, Problem } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';

const HYDRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');
const run = promisify(execFile);

// Lines 3-4 are one entry whose text holds a line break; the bad rows are 5, 6, 7, 8, 10 and 12 (whose quote is
// never closed, so it runs to the end of the file).
const CSV = [
  'time,author,text,detector,plot_type,run',
  '2024-02-10T22:10:00Z,alice,Run started,,,16042',
  '2024-02-11T00:02:00Z,bob,"monitoring images posted,',
  'see the ""TOF"" page",TOF,,',
  '2024-02-11 00:30,bob,no zone here,,,',
  '2024-02-11T01:00:00Z,,nobody wrote this,,,',
  '2024-02-11T01:10:00Z,carol,bad run,,,16O42',
  '2024-02-11T01:20:00Z,carol,too few fields',
  '2024-02-11T07:30:00+01:00,day-shift,TOF problem,FTOF,FTOF_panel1a_occupancy,16043',
  '2024-02-11T07:40:00Z,day-shift,"quoted" and more,,,',
  '2024-02-30T07:45:00Z,day-shift,no such day,,,',
  '2024-02-11T08:00:00Z,day-shift,"never closed,,,',
].join('\r\n');
const CSV_REJECTED = [
  {
    line: 5,
    reason: 'time "2024-02-11 00:30" is not a date and time with a zone, e.g. 2024-02-11T07:30:00Z',
  },
  { line: 6, reason: 'author is empty' },
  { line: 7, reason: 'run "16O42" is not a run number (a whole number from 0 to 2147483647)' },
  { line: 8, reason: '3 fields, but the header has 6' },
  { line: 10, reason: 'text after the closing quote of field 3' },
  { line: 11, reason: 'time "2024-02-30T07:45:00Z" is not a real date' },
  { line: 12, reason: 'the quote of field 3 is never closed' },
];

const JSONL = [
  '{"time":"2024-02-11T09:00:00Z","author":"dmitri","text":"CDC HV trip","detector":"CDC","run":16044}',
  '',
  'not json',
  '["2024-02-11T09:05:00Z","dmitri","an array"]',
  '{"time":"2024-02-11T09:10:00Z","author":"dmitri","text":"negative run","run":-1}',
  '{"time":"2024-02-11T09:20:00Z","author":"dmitri","text":"plot named","plotType":"CDC_occupancy"}',
].join('\n');

for (const engine of ENGINES) {
  describe(`logbook import (${engine})`, () => {
    test('stores the good rows, reports each bad row by line, and adds nothing the second time', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: auth(tokens.admin),
        payload: { name: 'hallb' },
      });
      const deploymentId = created.json<{ id: number }>().id;
      const post = (payload: object, token = tokens.expert) =>
        app.inject({ method: 'POST', url: '/api/v1/logbook', headers: auth(token), payload });

      const first = await post({ deployment: 'hallb', format: 'csv', content: CSV });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json<LogbookImportResult>(), {
        deployment: 'hallb',
        rows: 10,
        added: 3,
        duplicates: 0,
        rejected: CSV_REJECTED,
      });
      const again = await post({ deployment: 'hallb', format: 'csv', content: CSV });
      assert.deepEqual(
        { ...again.json<LogbookImportResult>(), rejected: again.json<LogbookImportResult>().rejected.length },
        { deployment: 'hallb', rows: 10, added: 0, duplicates: 3, rejected: CSV_REJECTED.length },
      );

      const jsonl = await post({ deployment: 'hallb', format: 'jsonl', content: JSONL });
      assert.deepEqual(jsonl.json<LogbookImportResult>(), {
        deployment: 'hallb',
        rows: 5,
        added: 2,
        duplicates: 0,
        rejected: [
          { line: 3, reason: 'not JSON' },
          { line: 4, reason: 'not a JSON object' },
          { line: 5, reason: 'run -1 is not a run number (a whole number from 0 to 2147483647)' },
        ],
      });

      const listed = await app.inject({
        url: `/api/v1/logbook?deploymentId=${deploymentId}&from=2024-02-10T00:00:00Z&to=2024-02-12T00:00:00Z`,
        headers: auth(tokens.viewer),
      });
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(
        listed.json<LogbookList>().items.map((e) => [e.at, e.author, e.text, e.detector, e.plotType, e.run]),
        [
          ['2024-02-10T22:10:00.000Z', 'alice', 'Run started', null, null, 16042],
          [
            '2024-02-11T00:02:00.000Z',
            'bob',
            'monitoring images posted,\nsee the "TOF" page',
            'TOF',
            null,
            null,
          ],
          ['2024-02-11T06:30:00.000Z', 'day-shift', 'TOF problem', 'FTOF', 'FTOF_panel1a_occupancy', 16043],
          ['2024-02-11T09:00:00.000Z', 'dmitri', 'CDC HV trip', 'CDC', null, 16044],
          ['2024-02-11T09:20:00.000Z', 'dmitri', 'plot named', null, 'CDC_occupancy', null],
        ],
      );

      const problem = async (payload: object, status: number, detail: RegExp, token = tokens.expert) => {
        const response = await post(payload, token);
        assert.equal(response.statusCode, status, response.body);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        assert.match(response.json<Problem>().detail, detail);
      };
      await problem(
        { deployment: 'hallb', format: 'csv', content: 'when,who,what\n' },
        400,
        /unknown CSV column when/,
      );
      await problem({ deployment: 'hallb', format: 'csv', content: 'time,text\n' }, 400, /lacks author/);
      await problem({ deployment: 'hallb', format: 'csv', content: '' }, 400, /empty/);
      await problem({ deployment: 'hallb', format: 'xml', content: CSV }, 400, /format/);
      await problem({ deployment: 'hallz', format: 'csv', content: CSV }, 422, /hallz/);
      await problem({ deployment: 'hallb', format: 'csv', content: CSV }, 403, /./, tokens.labeler);
    });
  });
}

test('hydra logbook import prints each bad row with its line and exits 2; a second import adds nothing', async (t) => {
  const { app, tokens, dataDir } = await buildTestApp(t);
  await app.inject({
    method: 'POST',
    url: '/api/v1/deployments',
    headers: auth(tokens.admin),
    payload: { name: 'hallb' },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const file = path.join(dataDir, 'logbook.csv');
  await fs.writeFile(file, CSV);
  const args = [
    HYDRA,
    'logbook',
    'import',
    file,
    '--deployment',
    'hallb',
    '--server',
    url,
    '--token',
    tokens.expert,
  ];

  const failed = await run(process.execPath, args).then(
    () => assert.fail('a file with bad rows exits non-zero'),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(failed.code, 2);
  const lines = failed.stderr.trim().split('\n');
  assert.deepEqual(
    lines.slice(0, -1),
    CSV_REJECTED.map(({ line, reason }) => `${file}:${line}: ${reason}`),
  );
  assert.equal(lines.at(-1), '10 rows: 3 added, 0 already imported, 7 rejected');

  const second = await run(process.execPath, args).catch((error: { stderr: string }) => error);
  assert.match(second.stderr, /10 rows: 0 added, 3 already imported, 7 rejected/);
});
