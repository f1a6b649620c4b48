// Synthetic DQM plots with known labels: the test data, the demo feed and a source of training "Bad"s.

export { renderContactSheet } from './contact-sheet.ts';
export type { ContactSheetOptions } from './contact-sheet.ts';
export { failureModes } from './failure-modes.ts';
export type { FailureMode } from './failure-modes.ts';
export { generatePlot } from './generate.ts';
export type { AppliedFault, FaultRequest, GeneratedPlot } from './generate.ts';
export { Histogram1D, Histogram2D } from './histogram.ts';
export type { Histogram } from './histogram.ts';
export { findPlotKind, plotKinds } from './kinds/index.ts';
export {
  failureModeNames,
  isFailureModeName,
  labelFor,
  labelOfFailureMode,
  labels,
  modesByLabel,
} from './labels.ts';
export type { FailureModeName, Label } from './labels.ts';
export { manifestEntry, MANIFEST_FILE } from './manifest.ts';
export type { ManifestEntry } from './manifest.ts';
export { strengths } from './plot-kind.ts';
export type { PlotKind, Region, Strength } from './plot-kind.ts';
export { renderPlot } from './render/canvas.ts';
export type { RenderedPlot, RenderOptions } from './render/canvas.ts';
export type { Box } from './render/raster.ts';
export {
  chooseFault,
  DEFAULT_TIME,
  resolvePlotKind,
  simulatePlot,
  simulateRun,
  simulateRuns,
} from './simulate.ts';
export type {
  SimulatedPlot,
  SimulatePlotOptions,
  SimulateRunOptions,
  SimulateRunsOptions,
} from './simulate.ts';
