// `hydra simulate`: the plots, the manifest and the contact sheet it writes.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { Command } from 'commander';
import sharp from 'sharp';

import { registerSimulateCommand } from '../../src/cli/commands/simulate.ts';
import type { ManifestEntry } from '../../src/simulator/index.ts';

async function hydra(...args: string[]): Promise<void> {
  const program = new Command('hydra').exitOverride().configureOutput({ writeErr: () => undefined });
  registerSimulateCommand(program);
  await program.parseAsync(['simulate', ...args], { from: 'user' });
}

async function temporaryFolder(t: TestContext): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'hydra-simulate-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

async function readManifest(folder: string): Promise<ManifestEntry[]> {
  const text = await readFile(path.join(folder, 'manifest.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ManifestEntry);
}

const plotArguments = [
  '--runs',
  '3',
  '--kinds',
  'FCAL_occupancy,TOF_timing',
  '--bad-rate',
  '1',
  '--modes',
  'dead-region,no-data',
  '--seed',
  '3',
];

describe('hydra simulate', () => {
  it('writes <run>/<kind>.png and one manifest line per plot', async (t) => {
    const out = await temporaryFolder(t);
    await hydra('--out', out, ...plotArguments);
    const entries = await readManifest(out);
    assert.equal(entries.length, 6);
    assert.deepEqual([...new Set(entries.map((entry) => entry.run))], [120000, 120001, 120002]);
    for (const entry of entries) {
      assert.equal(entry.file, `${entry.run}/${entry.kind}.png`);
      const metadata = await sharp(path.join(out, entry.file)).metadata();
      assert.deepEqual([metadata.format, metadata.width, metadata.height], ['png', 800, 600]);
      assert.ok(entry.failureMode === 'dead-region' || entry.failureMode === 'no-data');
      assert.equal(entry.label, entry.failureMode === 'dead-region' ? 'Bad' : 'NoData');
      assert.ok(entry.strength === 'normal' || entry.strength === 'subtle');
      assert.equal(entry.seed, 3);
      assert.ok(!Number.isNaN(Date.parse(entry.time)));
      if (entry.failureMode === 'no-data') {
        assert.equal(entry.bbox, null);
      } else {
        assert.ok(entry.bbox);
        assert.ok(entry.bbox.x >= 0 && entry.bbox.x + entry.bbox.width <= 800);
        assert.ok(entry.bbox.y >= 0 && entry.bbox.y + entry.bbox.height <= 600);
      }
    }
  });

  it('writes the same files for the same seed', async (t) => {
    const [first, second] = [await temporaryFolder(t), await temporaryFolder(t)];
    await hydra('--out', first, ...plotArguments);
    await hydra('--out', second, ...plotArguments);
    const entries = await readManifest(first);
    assert.deepEqual(await readManifest(second), entries);
    for (const { file } of entries) {
      assert.ok(
        (await readFile(path.join(first, file))).equals(await readFile(path.join(second, file))),
        file,
      );
    }
  });

  it('writes a labeled contact sheet of every kind and failure mode', async (t) => {
    const sheet = path.join(await temporaryFolder(t), 'sheet.png');
    await hydra(
      '--contact-sheet',
      sheet,
      '--kinds',
      'TOF_timing,SC_occupancy',
      '--modes',
      'dead-region,shifted-peak',
      '--contact-sheet-strength',
      'normal',
    );
    const metadata = await sharp(sheet).metadata();
    assert.equal(metadata.format, 'png');
    // A header column and three thumbnail columns (no fault, two modes); a header row and two kinds.
    assert.deepEqual([metadata.width, metadata.height], [150 + 3 * 208, 84 + 2 * 158]);
  });

  it('says what is wrong with its arguments', async () => {
    await assert.rejects(hydra('--runs', '2'), /--out/);
    await assert.rejects(hydra('--out', 'unused', '--kinds', 'NOPE'), /unknown plot kind "NOPE"/);
    await assert.rejects(hydra('--out', 'unused', '--modes', 'melted'), /unknown failure mode "melted"/);
    await assert.rejects(hydra('--out', 'unused', '--bad-rate', '2'), /expected 0 to 1/);
  });
});
