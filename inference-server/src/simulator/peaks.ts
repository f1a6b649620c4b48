// Gaussian peaks of timing plots, and the calibration faults that move or split them.

import { binLowEdge, binsOverlapping, binWidth } from './histogram.ts';
import type { Binning } from './histogram.ts';
import type { ExpectationModifiers } from './plot-kind.ts';
import { normalCdf } from './random.ts';

/** A peak is cut at this many sigmas, so moving it changes only the bins of its window. */
const HALF_WIDTH_SIGMAS = 5;

export interface Peak {
  pad: number;
  mean: number;
  sigma: number;
  entries: number;
}

/** A miscalibration: the peak moves by `shiftSigma`, and `echoFraction` of it sits `echoOffsetSigma` further. */
export interface PeakDistortion {
  shiftSigma: number;
  echoFraction: number;
  echoOffsetSigma: number;
}

function addGaussian(
  contents: Float64Array,
  binning: Binning,
  mean: number,
  sigma: number,
  entries: number,
): void {
  const low = mean - HALF_WIDTH_SIGMAS * sigma;
  const high = mean + HALF_WIDTH_SIGMAS * sigma;
  for (const bin of binsOverlapping(binning, low, high)) {
    const from = Math.max(low, binLowEdge(binning, bin));
    const to = Math.min(high, binLowEdge(binning, bin) + binWidth(binning));
    const fraction = normalCdf((to - mean) / sigma) - normalCdf((from - mean) / sigma);
    contents[bin] = (contents[bin] as number) + entries * Math.max(0, fraction);
  }
}

/** Adds the expected counts of a beam peak: scaled by the beam, and distorted if its pad is miscalibrated. */
export function addBeamPeak(
  contents: Float64Array,
  binning: Binning,
  peak: Peak,
  modifiers: ExpectationModifiers,
): void {
  const distortion = modifiers.peak?.pad === peak.pad ? modifiers.peak : undefined;
  const entries = peak.entries * modifiers.beam;
  const mean = peak.mean + (distortion?.shiftSigma ?? 0) * peak.sigma;
  const echoFraction = distortion?.echoFraction ?? 0;
  addGaussian(contents, binning, mean, peak.sigma, entries * (1 - echoFraction));
  if (distortion !== undefined && echoFraction > 0) {
    const echoMean = mean + distortion.echoOffsetSigma * peak.sigma;
    addGaussian(contents, binning, echoMean, peak.sigma, entries * echoFraction);
  }
}

/** The x range that a peak occupies before and after the distortion: every bin it can change. */
export function peakWindow(peak: Peak, distortion: PeakDistortion): [number, number] {
  const positions = [0, distortion.shiftSigma];
  if (distortion.echoFraction > 0) positions.push(distortion.shiftSigma + distortion.echoOffsetSigma);
  const low = peak.mean + (Math.min(...positions) - HALF_WIDTH_SIGMAS) * peak.sigma;
  const high = peak.mean + (Math.max(...positions) + HALF_WIDTH_SIGMAS) * peak.sigma;
  return [low, high];
}
