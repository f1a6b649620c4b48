// What a plot kind is: its pads (binning and drawing), its expected distribution, and where its faults can sit.

import type { Binning } from './histogram.ts';
import type { FailureModeName } from './labels.ts';
import type { Peak, PeakDistortion } from './peaks.ts';
import type { Random } from './random.ts';

export type Strength = 'normal' | 'subtle';
export const strengths: readonly Strength[] = ['normal', 'subtle'];

export interface Axis extends Binning {
  title: string;
}

/** An axis range that is drawn but not binned (the frame of a cell map). */
export interface AxisRange {
  title: string;
  min: number;
  max: number;
}

interface PadBase {
  /** Histogram name, shown in the stats box. */
  name: string;
  title: string;
}

/** A 1D histogram drawn as ROOT's HIST (outline and fill), BAR (bars) or a graph (line with markers). */
export interface Histogram1DPad extends PadBase {
  draw: 'hist' | 'bar' | 'graph';
  x: Axis;
  yTitle: string;
}

/** A 2D histogram drawn as ROOT's COLZ in a square frame, with palette and stats box to its right. */
export interface Histogram2DPad extends PadBase {
  draw: 'colz';
  x: Axis;
  y: Axis;
}

/** One round channel of a cell map, placed in the units of the pad's x and y ranges. */
export interface Cell {
  x: number;
  y: number;
  radius: number;
}

/** A channel histogram drawn as a map of round cells (ROOT's TH2Poly COLZ): one cell per bin. */
export interface CellMapPad extends PadBase {
  draw: 'cells';
  cells: readonly Cell[];
  x: AxisRange;
  y: AxisRange;
  /** Channels next to `bin` (a hot channel is compared with them). */
  neighbours(bin: number): number[];
}

export type PadSpec = Histogram1DPad | Histogram2DPad | CellMapPad;

/** The conditions of one run of one plot kind. */
export interface RunContext {
  run: number;
  /** Statistics of this run relative to nominal (beam current and run length vary). */
  luminosity: number;
  /** Relative gain change of the whole detector in this run. */
  gainDrift: number;
  /** Timing drift of this run, in units of a peak's width. */
  timeDrift: number;
  /** A generator for one purpose within this run; the same purpose always gives the same draws. */
  random(purpose: string): Random;
  /** A generator for one purpose that is the same in every run: properties of the detector itself. */
  detector(purpose: string): Random;
}

/** How a failure mode changes what the detector is expected to record. */
export interface ExpectationModifiers {
  /** 1: nominal beam; 0: beam off. */
  beam: number;
  /** Scale of the cosmic-ray component (1: the natural rate during a beam run). */
  cosmic: number;
  /** A miscalibrated peak on one pad. */
  peak?: PeakDistortion & { pad: number };
}

export const nominalConditions: ExpectationModifiers = { beam: 1, cosmic: 1 };

/** Bins of one pad (flat indices into its histogram's contents). */
export interface Region {
  pad: number;
  bins: readonly number[];
}

/** The kind of region a failure mode asks a plot kind for. */
export type RegionRole = 'dead' | 'noise' | 'pulser';

/** For each role and strength, how to draw a region: smaller or fainter regions make the subtle cases. */
export type RegionTable = Readonly<Record<RegionRole, Readonly<Record<Strength, (rng: Random) => Region>>>>;

export interface PlotKind {
  /** Plot type name, as the catalog and the manifest know it, e.g. `FCAL_occupancy`. */
  name: string;
  /** Short human title, for galleries. */
  title: string;
  description: string;
  /** Pads in reading order on a grid of `columns` × `rows`. */
  layout: { columns: number; rows: number };
  pads: readonly PadSpec[];
  /** Failure modes this plot can show; the default class set follows from them. */
  failureModes: readonly FailureModeName[];
  /** Peaks that the calibration failure modes move; required when those modes are listed. */
  peaks?(run: RunContext): readonly Peak[];
  /** Expected counts per bin of every pad. Must be repeatable: draw only from `run.random` and `run.detector`. */
  expected(run: RunContext, modifiers: ExpectationModifiers): Float64Array[];
  /** Where a fault of each role sits on this detector: a dead sector, a noisy crate, an LED-pulsed group. */
  regions: RegionTable;
}
