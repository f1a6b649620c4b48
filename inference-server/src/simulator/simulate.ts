// The simulator's entry points: one plot, one run of every plot kind, or a sequence of runs.

import { generatePlot } from './generate.ts';
import type { AppliedFault, FaultRequest } from './generate.ts';
import type { Histogram } from './histogram.ts';
import { findPlotKind, plotKinds } from './kinds/index.ts';
import { failureModeNames } from './labels.ts';
import type { FailureModeName, Label } from './labels.ts';
import type { PlotKind } from './plot-kind.ts';
import { Random } from './random.ts';
import { renderPlot } from './render/canvas.ts';
import type { Box } from './render/raster.ts';

/** When a plot is not given a time: a fixed instant, so output never depends on the clock. */
export const DEFAULT_TIME = '2025-01-01T00:00:00.000Z';

export interface SimulatePlotOptions {
  kind: string | PlotKind;
  run: number;
  seed: number;
  /** When the plot was written (ISO 8601 or a Date); only recorded, never drawn. */
  time?: Date | string;
  fault?: FaultRequest;
  width?: number;
  height?: number;
}

export interface SimulatedPlot {
  png: Buffer;
  kind: string;
  run: number;
  seed: number;
  time: string;
  width: number;
  height: number;
  label: Label;
  fault?: AppliedFault;
  /** Where the fault is, in image pixels; absent for a good plot and for faults of the whole plot. */
  bbox?: Box;
  histograms: Histogram[];
}

export function resolvePlotKind(kind: string | PlotKind): PlotKind {
  if (typeof kind !== 'string') return kind;
  const found = findPlotKind(kind);
  if (found === undefined) {
    throw new RangeError(`unknown plot kind "${kind}"; known: ${plotKinds.map((k) => k.name).join(', ')}`);
  }
  return found;
}

export async function simulatePlot(options: SimulatePlotOptions): Promise<SimulatedPlot> {
  const kind = resolvePlotKind(options.kind);
  const { histograms, label, fault, region } = generatePlot({ ...options, kind });
  const rendered = await renderPlot(kind, histograms, options);
  const bbox = region && rendered.regionBox(region);
  return {
    png: rendered.png,
    kind: kind.name,
    run: options.run,
    seed: options.seed,
    time: new Date(options.time ?? DEFAULT_TIME).toISOString(),
    width: rendered.width,
    height: rendered.height,
    label,
    ...(fault && { fault }),
    ...(bbox && { bbox }),
    histograms,
  };
}

export interface FaultChoice {
  /** Fraction of plots given a failure mode. */
  badRate: number;
  /** Failure modes to choose from; each plot kind uses those it can show. */
  modes?: readonly FailureModeName[];
  /** Fraction of faults drawn at subtle strength. */
  subtleRate?: number;
}

/** Whether, and how, this plot of this run goes wrong: drawn from its own stream, so it never shifts others. */
export function chooseFault(
  seed: number,
  run: number,
  kind: PlotKind,
  choice: FaultChoice,
): FaultRequest | undefined {
  const rng = Random.derive(seed, run, kind.name, 'fault-choice');
  const bad = rng.chance(choice.badRate);
  const subtle = rng.chance(choice.subtleRate ?? 0);
  const modes = (choice.modes ?? failureModeNames).filter((mode) => kind.failureModes.includes(mode));
  if (!bad || modes.length === 0) return undefined;
  return { mode: rng.pick(modes), strength: subtle ? 'subtle' : 'normal' };
}

export interface SimulateRunOptions extends FaultChoice {
  run: number;
  seed: number;
  kinds?: readonly (string | PlotKind)[];
  time?: Date | string;
  width?: number;
  height?: number;
}

/** One plot of every requested kind for one run, rendered in parallel. */
export function simulateRun(options: SimulateRunOptions): Promise<SimulatedPlot[]> {
  const kinds = (options.kinds ?? plotKinds).map(resolvePlotKind);
  return Promise.all(
    kinds.map((kind) => {
      const fault = chooseFault(options.seed, options.run, kind, options);
      return simulatePlot({ ...options, kind, fault });
    }),
  );
}

export interface SimulateRunsOptions extends Omit<SimulateRunOptions, 'run' | 'time'> {
  firstRun: number;
  runs: number;
  /** Start of the first run; each plot is stamped with the end of its run. */
  startTime: Date | string;
  runMinutes: number;
  /** Runs rendered at once (default 2): each run renders its plots in parallel too, so a few keep every core busy. */
  concurrency?: number;
}

/** Runs in order, with a few rendered ahead, so long simulations use every core and still come out in order. */
export async function* simulateRuns(options: SimulateRunsOptions): AsyncGenerator<SimulatedPlot[]> {
  const start = new Date(options.startTime).getTime();
  const runLength = options.runMinutes * 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const inFlight: Promise<SimulatedPlot[]>[] = [];
  let next = 0;
  while (next < options.runs || inFlight.length > 0) {
    while (next < options.runs && inFlight.length < concurrency) {
      const run = simulateRun({
        ...options,
        run: options.firstRun + next,
        time: new Date(start + (next + 1) * runLength),
      });
      // Its error surfaces when its turn comes; until then it must not count as unhandled.
      run.catch(() => undefined);
      inFlight.push(run);
      next++;
    }
    const oldest = inFlight.shift();
    if (oldest) yield await oldest;
  }
}
