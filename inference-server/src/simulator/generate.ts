// From (seed, run, plot kind, fault) to histograms: the run's conditions, sampling, then the fault.

import { failureModes } from './failure-modes.ts';
import type { FaultContext, FaultEffect } from './failure-modes.ts';
import { createHistogram } from './geometry.ts';
import type { Histogram } from './histogram.ts';
import { labelFor } from './labels.ts';
import type { FailureModeName, Label } from './labels.ts';
import { nominalConditions } from './plot-kind.ts';
import type { PlotKind, Region, RunContext, Strength } from './plot-kind.ts';
import { poissonQuantile, Random } from './random.ts';

export interface FaultRequest {
  mode: FailureModeName;
  strength: Strength;
}

export interface AppliedFault extends FaultRequest {
  /** The mode's parameters at this strength. */
  parameters: Readonly<Record<string, number>>;
  /** What the fault resolved to: which pad and channels, how far a peak moved. */
  details: Record<string, number>;
}

export interface GeneratedPlot {
  kind: PlotKind;
  run: number;
  label: Label;
  histograms: Histogram[];
  fault?: AppliedFault;
  /** The bins the fault changed; absent when it changes the whole plot. */
  region?: Region;
}

export interface GenerateOptions {
  kind: PlotKind;
  seed: number;
  run: number;
  fault?: FaultRequest;
}

export function createRunContext(seed: number, run: number, kind: string): RunContext {
  const conditions = Random.derive(seed, run, kind, 'conditions');
  return {
    run,
    luminosity: conditions.logNormal(0.25),
    gainDrift: 0.02 * conditions.normal(),
    timeDrift: 0.15 * conditions.normal(),
    random: (purpose) => Random.derive(seed, run, kind, purpose),
    detector: (purpose) => Random.derive(seed, kind, purpose),
  };
}

/** One uniform per bin, in a fixed order: plots from the same seed differ only where their expectations do. */
function sample(kind: PlotKind, expected: readonly Float64Array[], rng: Random): Histogram[] {
  return kind.pads.map((pad, index) => {
    const means = expected[index];
    if (means === undefined) throw new RangeError(`${kind.name}: no expected counts for pad ${index}`);
    return createHistogram(
      pad,
      means.map((mean) => poissonQuantile(mean, rng.uniform())),
    );
  });
}

export function generatePlot({ kind, seed, run, fault }: GenerateOptions): GeneratedPlot {
  if (fault !== undefined && !kind.failureModes.includes(fault.mode)) {
    throw new RangeError(`${kind.name} cannot show the failure mode ${fault.mode}`);
  }
  const runContext = createRunContext(seed, run, kind.name);
  const expected = kind.expected(runContext, nominalConditions);
  const sampling = runContext.random('sampling');
  if (fault === undefined) {
    return { kind, run, label: 'Good', histograms: sample(kind, expected, sampling) };
  }
  const mode = failureModes[fault.mode];
  const context: FaultContext = {
    kind,
    run: runContext,
    rng: Random.derive(seed, run, kind.name, 'fault', fault.mode, fault.strength),
    strength: fault.strength,
    expected,
  };
  let effect: FaultEffect = { details: {} };
  let faultyExpected = expected;
  if (mode.expect) ({ expected: faultyExpected, ...effect } = mode.expect(context));
  const histograms = sample(kind, faultyExpected, sampling);
  if (mode.record) effect = mode.record(context, histograms);
  return {
    kind,
    run,
    label: labelFor(fault.mode),
    histograms,
    fault: { ...fault, parameters: mode.parameters[fault.strength], details: effect.details },
    ...(effect.region && { region: effect.region }),
  };
}
