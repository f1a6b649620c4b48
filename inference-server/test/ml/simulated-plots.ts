import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabeledFile } from '../../src/ml/training-set.ts';
import { simulatePlot } from '../../src/simulator/index.ts';
import type { Box, FailureModeName } from '../../src/simulator/index.ts';

/** The two classes of these sets: a plot is Good (0) or shows one of the requested faults (1). */
export const GOOD_BAD = ['Good', 'Bad'];

/** Plots rendered at once: rendering awaits PNG encoding on libuv threads, so a few in flight use both cores. */
const RENDER_CONCURRENCY = 4;

export interface SimulatedImage extends LabeledFile {
  mode?: FailureModeName;
  /** Where the fault is, in pixels of the written PNG. */
  bbox?: Box;
  width: number;
  height: number;
}

export interface SimulatedPlotsOptions {
  kind: string;
  seed: number;
  /** Runs firstRun .. firstRun + count - 1: splits made from other runs share no plot. */
  firstRun: number;
  count: number;
  /** Faults of the Bad plots, in turn. Two plots in every five are Bad (40 %), normal strength. */
  modes: FailureModeName[];
}

/** Writes simulated plots of one kind (800×600 PNG files) into `dir`, labeled Good (0) or Bad (1). */
export async function writeSimulatedPlots(
  dir: string,
  { kind, seed, firstRun, count, modes }: SimulatedPlotsOptions,
): Promise<SimulatedImage[]> {
  const write = async (index: number): Promise<SimulatedImage> => {
    const run = firstRun + index;
    const mode = index % 5 < 2 ? modes[Math.floor(index / 5) % modes.length] : undefined;
    const plot = await simulatePlot({
      kind,
      run,
      seed,
      ...(mode && { fault: { mode, strength: 'normal' } }),
    });
    const file = path.join(dir, `${kind}-${run}.png`);
    await writeFile(file, plot.png);
    return {
      path: file,
      label: mode === undefined ? 0 : 1,
      width: plot.width,
      height: plot.height,
      ...(mode && { mode }),
      ...(plot.bbox && { bbox: plot.bbox }),
    };
  };
  const images: SimulatedImage[] = [];
  for (let start = 0; start < count; start += RENDER_CONCURRENCY) {
    const indices = Array.from({ length: Math.min(RENDER_CONCURRENCY, count - start) }, (_, i) => start + i);
    images.push(...(await Promise.all(indices.map(write))));
  }
  return images;
}
