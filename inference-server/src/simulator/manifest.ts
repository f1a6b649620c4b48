// The manifest: one JSON line per simulated plot, with its label and, for a local fault, where it is in the image.

import type { FailureModeName, Label } from './labels.ts';
import type { Strength } from './plot-kind.ts';
import type { Box } from './render/raster.ts';
import type { SimulatedPlot } from './simulate.ts';

export const MANIFEST_FILE = 'manifest.jsonl';

export interface ManifestEntry {
  /** Path of the PNG, relative to the manifest. */
  file: string;
  kind: string;
  run: number;
  time: string;
  seed: number;
  width: number;
  height: number;
  label: Label;
  failureMode: FailureModeName | null;
  strength: Strength | null;
  parameters: Readonly<Record<string, number>> | null;
  details: Readonly<Record<string, number>> | null;
  /** The fault's region in image pixels (x, y from the top left); null when there is none or it is the whole plot. */
  bbox: Box | null;
}

/** Every key present in every line (null where it does not apply), so the lines load as one table. */
export function manifestEntry(plot: SimulatedPlot, file: string): ManifestEntry {
  return {
    file,
    kind: plot.kind,
    run: plot.run,
    time: plot.time,
    seed: plot.seed,
    width: plot.width,
    height: plot.height,
    label: plot.label,
    failureMode: plot.fault?.mode ?? null,
    strength: plot.fault?.strength ?? null,
    parameters: plot.fault?.parameters ?? null,
    details: plot.fault?.details ?? null,
    bbox: plot.bbox ?? null,
  };
}
