// Simulated sets for the autoencoder's tests and bench: a plot type's recent images (a few faulty, unlabeled), held-out
// good plots, and plots of each failure mode; then what the trained autoencoder makes of them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as tf from '@tensorflow/tfjs';
import { calibrateThreshold } from '../../src/ml/anomaly/calibration.ts';
import type { Calibration } from '../../src/ml/anomaly/calibration.ts';
import { anomalyScores } from '../../src/ml/anomaly/reconstruction.ts';
import { rocAuc } from '../../src/ml/anomaly/roc.ts';
import { preprocessImage } from '../../src/ml/preprocess.ts';
import { findPlotKind, simulatePlot } from '../../src/simulator/index.ts';
import type { FailureModeName } from '../../src/simulator/index.ts';

/** Plots rendered at once: PNG encoding runs on libuv threads, so a few in flight use both cores. */
const RENDER_CONCURRENCY = 4;
/** Images scored per forward pass. */
export const SCORE_BATCH = 32;

export interface PlotSetOptions {
  kind: string;
  seed: number;
  /** Runs firstRun .. firstRun + count - 1: sets made from other runs share no plot. */
  firstRun: number;
  count: number;
  /** The fault of every plot; none for good plots. */
  mode?: FailureModeName;
}

/** Writes simulated plots (800×600 PNG files) into `dir` and returns their paths, in run order. */
export async function writePlots(dir: string, { kind, seed, firstRun, count, mode }: PlotSetOptions) {
  const write = async (run: number): Promise<string> => {
    const plot = await simulatePlot({
      kind,
      run,
      seed,
      ...(mode && { fault: { mode, strength: 'normal' } }),
    });
    const file = path.join(dir, `${kind}-${mode ?? 'good'}-${run}.png`);
    await writeFile(file, plot.png);
    return file;
  };
  const files: string[] = [];
  for (let start = 0; start < count; start += RENDER_CONCURRENCY) {
    const runs = Array.from(
      { length: Math.min(RENDER_CONCURRENCY, count - start) },
      (_, i) => firstRun + start + i,
    );
    files.push(...(await Promise.all(runs.map(write))));
  }
  return files;
}

/**
 * A plot type's recent images as an autoencoder learns from them: `count` plots, of which `faulty` (spread evenly)
 * show one of the kind's failure modes in turn. Nobody labels them.
 */
export async function writeRecentImages(
  dir: string,
  { kind, seed, firstRun, count, faulty }: Omit<PlotSetOptions, 'mode'> & { faulty: number },
): Promise<string[]> {
  const modes = findPlotKind(kind)!.failureModes;
  const good = await writePlots(dir, { kind, seed, firstRun, count: count - faulty });
  const bad: string[] = [];
  for (let index = 0; index < faulty; index++) {
    const mode = modes[index % modes.length]!;
    bad.push(...(await writePlots(dir, { kind, seed, firstRun: firstRun + count + index, count: 1, mode })));
  }
  const every = Math.floor(count / Math.max(1, faulty));
  const mixed = [...good];
  bad.forEach((file, index) => mixed.splice(index * every, 0, file));
  return mixed;
}

/** The anomaly scores of image files, SCORE_BATCH at a time; `msPerImage` includes decoding. */
export async function scoreFiles(
  model: tf.LayersModel,
  files: string[],
  inputShape: [number, number, number],
): Promise<{ scores: number[]; msPerImage: number }> {
  const started = performance.now();
  const scores: number[] = [];
  for (let start = 0; start < files.length; start += SCORE_BATCH) {
    const inputs = await Promise.all(
      files.slice(start, start + SCORE_BATCH).map((file) => preprocessImage(file, inputShape)),
    );
    scores.push(...anomalyScores(model, inputs, inputShape));
  }
  return { scores, msPerImage: (performance.now() - started) / Math.max(1, files.length) };
}

/** ROC AUC of each failure mode's scores against the good plots' scores. */
export function aucPerMode(
  goodScores: number[],
  faultyScores: Partial<Record<FailureModeName, number[]>>,
): Partial<Record<FailureModeName, number>> {
  return Object.fromEntries(
    Object.entries(faultyScores).map(([mode, scores]) => [mode, rocAuc(scores, goodScores)]),
  );
}

export interface FalseAlarms {
  calibration: Calibration;
  /** Held-out good plots whose score exceeds the threshold, over their number. */
  measuredRate: number;
  heldOut: number;
  alarms: number;
}

/** Calibrates on one set of good plots' scores and counts the alarms among another. */
export function falseAlarms(history: number[], heldOut: number[], targetRate: number): FalseAlarms {
  const calibration = calibrateThreshold(history, targetRate);
  const alarms = heldOut.filter((score) => score > calibration.threshold).length;
  return { calibration, measuredRate: alarms / heldOut.length, heldOut: heldOut.length, alarms };
}
