// The plot kinds the simulator knows. Adding one: write its definition in this folder and list it here.

import type { PlotKind } from '../plot-kind.ts';
import { bcalOccupancy } from './bcal-occupancy.ts';
import { cdcOccupancy } from './cdc-occupancy.ts';
import { fcalOccupancy } from './fcal-occupancy.ts';
import { rfTiming } from './rf-timing.ts';
import { scOccupancy } from './sc-occupancy.ts';
import { tofTiming } from './tof-timing.ts';
import { triggerRate } from './trigger-rate.ts';

export const plotKinds: readonly PlotKind[] = [
  cdcOccupancy,
  fcalOccupancy,
  bcalOccupancy,
  tofTiming,
  scOccupancy,
  rfTiming,
  triggerRate,
];

export function findPlotKind(name: string): PlotKind | undefined {
  return plotKinds.find((kind) => kind.name === name);
}
