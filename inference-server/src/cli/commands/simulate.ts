import { mkdir, open, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import {
  failureModeNames,
  isFailureModeName,
  labels,
  MANIFEST_FILE,
  manifestEntry,
  plotKinds,
  renderContactSheet,
  simulateRuns,
  strengths,
} from '../../simulator/index.ts';
import type { FailureModeName, Label, PlotKind, Strength } from '../../simulator/index.ts';

interface SimulateOptions {
  out?: string;
  runs: number;
  firstRun: number;
  kinds: string;
  badRate: number;
  modes: string;
  subtleRate: number;
  seed: number;
  width: number;
  height: number;
  startTime: string;
  runMinutes: number;
  concurrency?: number;
  contactSheet?: string;
  contactSheetStrength: Strength | 'both';
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return count;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InvalidArgumentError('expected a whole number from 0 to 4294967295');
  }
  return seed;
}

function parseFraction(value: string): number {
  const fraction = Number(value);
  if (value.trim() === '' || !(fraction >= 0 && fraction <= 1))
    throw new InvalidArgumentError('expected 0 to 1');
  return fraction;
}

function parseTime(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected an ISO 8601 time');
  return value;
}

function parseStrength(value: string): Strength | 'both' {
  if (value === 'both' || (strengths as readonly string[]).includes(value)) return value as Strength | 'both';
  throw new InvalidArgumentError(`expected ${strengths.join(', ')} or both`);
}

/** A comma-separated list of names, or "all". */
function pickNames(list: string, known: readonly string[], what: string): string[] {
  if (list === 'all') return [...known];
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`unknown ${what} "${unknown.join(', ')}"; choose from: ${known.join(', ')} (or all)`);
  }
  return names;
}

function selectedKinds(options: SimulateOptions): PlotKind[] {
  const names = pickNames(
    options.kinds,
    plotKinds.map((kind) => kind.name),
    'plot kind',
  );
  return plotKinds.filter((kind) => names.includes(kind.name));
}

function selectedModes(options: SimulateOptions): FailureModeName[] {
  return pickNames(options.modes, failureModeNames, 'failure mode').filter(isFailureModeName);
}

/** Writes <out>/<run>/<kind>.png (the layout `hydra ingest --watch` reads) and one manifest line per plot. */
async function writePlots(
  out: string,
  kinds: PlotKind[],
  modes: FailureModeName[],
  options: SimulateOptions,
) {
  await mkdir(out, { recursive: true });
  const manifest = await open(path.join(out, MANIFEST_FILE), 'w');
  const total = options.runs * kinds.length;
  const perLabel = new Map<Label, number>(labels.map((label) => [label, 0]));
  const started = performance.now();
  let written = 0;
  let reported = 0;
  try {
    for await (const plots of simulateRuns({
      seed: options.seed,
      firstRun: options.firstRun,
      runs: options.runs,
      kinds,
      badRate: options.badRate,
      modes,
      subtleRate: options.subtleRate,
      width: options.width,
      height: options.height,
      startTime: options.startTime,
      runMinutes: options.runMinutes,
      concurrency: options.concurrency ?? availableParallelism(),
    })) {
      const run = plots[0]?.run;
      await mkdir(path.join(out, String(run)), { recursive: true });
      for (const plot of plots) {
        const file = path.posix.join(String(plot.run), `${plot.kind}.png`);
        await writeFile(path.join(out, file), plot.png);
        await manifest.write(`${JSON.stringify(manifestEntry(plot, file))}\n`);
        perLabel.set(plot.label, (perLabel.get(plot.label) ?? 0) + 1);
      }
      written += plots.length;
      // About twenty progress lines, however long the simulation.
      if (written === total || written - reported >= total / 20) {
        const seconds = (performance.now() - started) / 1000;
        console.error(`${written}/${total} plots (run ${run}), ${(written / seconds).toFixed(1)} plots/s`);
        reported = written;
      }
    }
  } finally {
    await manifest.close();
  }
  const counts = [...perLabel].map(([label, count]) => `${label} ${count}`).join(', ');
  console.log(`${written} plots in ${path.resolve(out)} (${counts}); manifest: ${MANIFEST_FILE}`);
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Write simulated DQM plots with known labels (PNG + manifest.jsonl), or a contact sheet of them',
    )
    .option('--out <dir>', 'folder for <run>/<kind>.png and manifest.jsonl')
    .option('--runs <n>', 'number of runs; each run has one plot of every kind', parseCount, 10)
    .option('--first-run <n>', 'number of the first run', parseCount, 120000)
    .option(
      '--kinds <names>',
      `plot kinds, comma-separated, or all: ${plotKinds.map((k) => k.name).join(', ')}`,
      'all',
    )
    .option('--bad-rate <r>', 'fraction of plots given a failure mode', parseFraction, 0.3)
    .option(
      '--modes <names>',
      `failure modes to draw from, comma-separated, or all: ${failureModeNames.join(', ')}`,
      'all',
    )
    .option(
      '--subtle-rate <r>',
      'fraction of failures drawn at subtle strength (the hard cases)',
      parseFraction,
      0.25,
    )
    .option('--seed <n>', 'seed; the same seed gives byte-identical images', parseSeed, 1)
    .option('--width <px>', 'image width', parseCount, 800)
    .option('--height <px>', 'image height', parseCount, 600)
    .option('--start-time <iso>', 'start of the first run', parseTime, '2025-01-01T00:00:00Z')
    .option(
      '--run-minutes <n>',
      'length of a run; a plot is stamped with the end of its run',
      parseCount,
      120,
    )
    .option('--concurrency <n>', 'runs rendered at once (default: the number of cores)', parseCount)
    .option(
      '--contact-sheet <file>',
      'write one PNG of every kind × every failure mode, labeled (first run, seed)',
    )
    .option(
      '--contact-sheet-strength <s>',
      'rows of the contact sheet: normal, subtle or both',
      parseStrength,
      'both',
    )
    .action(async (options: SimulateOptions) => {
      if (options.out === undefined && options.contactSheet === undefined) {
        throw new Error('give --out <dir> to write plots, or --contact-sheet <file> for a gallery (or both)');
      }
      const kinds = selectedKinds(options);
      const modes = selectedModes(options);
      if (options.contactSheet !== undefined) {
        const sheet = await renderContactSheet({
          seed: options.seed,
          run: options.firstRun,
          kinds,
          modes,
          strengths: options.contactSheetStrength === 'both' ? strengths : [options.contactSheetStrength],
        });
        await writeFile(options.contactSheet, sheet);
        console.log(
          `contact sheet: ${path.resolve(options.contactSheet)} (${kinds.length} kinds × ${modes.length} modes)`,
        );
      }
      if (options.out !== undefined) await writePlots(options.out, kinds, modes, options);
    });
}
