import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simulatePlot } from '../../src/simulator/index.ts';
import type { Box, FailureModeName } from '../../src/simulator/index.ts';
import type { LabelledImage } from '../../src/ml/training-set.ts';

/** The two classes of these sets: a plot is Good (0) or shows one of the requested faults (1). */
export const GOOD_BAD = ['Good', 'Bad'];

export interface SimulatedImage extends LabelledImage {
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
  /** Faults of Bad plots, in turn; every fifth plot has two in five chances of being Bad (40 % Bad). */
  modes: FailureModeName[];
  /** 400×300 renders 3 times faster than the 800×600 default and still shows a 4-pixel hot channel. */
  width?: number;
  height?: number;
}

/** Writes simulated plots of one kind as PNG files into `dir`, labelled Good (0) or Bad (1), normal strength. */
export async function writeSimulatedPlots(
  dir: string,
  { kind, seed, firstRun, count, modes, width = 400, height = 300 }: SimulatedPlotsOptions,
): Promise<SimulatedImage[]> {
  const images: SimulatedImage[] = [];
  for (let index = 0; index < count; index++) {
    const run = firstRun + index;
    const bad = index % 5 < 2;
    const mode = bad ? modes[Math.floor(index / 5) % modes.length] : undefined;
    const plot = await simulatePlot({
      kind,
      run,
      seed,
      width,
      height,
      ...(mode && { fault: { mode, strength: 'normal' } }),
    });
    const file = path.join(dir, `${kind}-${run}.png`);
    await writeFile(file, plot.png);
    images.push({
      path: file,
      label: bad ? 1 : 0,
      width: plot.width,
      height: plot.height,
      ...(mode && { mode }),
      ...(plot.bbox && { bbox: plot.bbox }),
    });
  }
  return images;
}
