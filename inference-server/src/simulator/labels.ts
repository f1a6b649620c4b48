// The classes a model learns, and which failure mode produces which. This table is the one place that says so.

export const labels = ['Good', 'Bad', 'NoData', 'LowStats', 'Cosmic'] as const;
export type Label = (typeof labels)[number];

export const failureModeNames = [
  'dead-region',
  'hot-channel',
  'no-data',
  'low-stats',
  'shifted-peak',
  'double-peak',
  'noise-burst',
  'cosmic',
  'led-pulser',
] as const;
export type FailureModeName = (typeof failureModeNames)[number];

/**
 * Good: no failure mode. Bad: the detector or its calibration misbehaves and a shifter must act. NoData: the
 * plot is empty (the DAQ or the monitoring sent nothing). LowStats: too few entries to judge yet. Cosmic: no beam,
 * so the plot shows cosmic rays; not a detector fault, but not a physics run either.
 */
export const labelOfFailureMode: Readonly<Record<FailureModeName, Label>> = {
  'dead-region': 'Bad',
  'hot-channel': 'Bad',
  'no-data': 'NoData',
  'low-stats': 'LowStats',
  'shifted-peak': 'Bad',
  'double-peak': 'Bad',
  'noise-burst': 'Bad',
  cosmic: 'Cosmic',
  'led-pulser': 'Bad',
};

export function labelFor(mode: FailureModeName | undefined): Label {
  return mode === undefined ? 'Good' : labelOfFailureMode[mode];
}

export function isFailureModeName(name: string): name is FailureModeName {
  return (failureModeNames as readonly string[]).includes(name);
}

/**
 * Every class a plot kind can show, each with the failure modes that produce it (Good: none, as `undefined`), in
 * the order they first appear; the modes in `leaveOut` are left out, and a class left with none with them.
 */
export function modesByLabel(
  failureModes: readonly FailureModeName[],
  leaveOut: readonly FailureModeName[] = [],
): Map<Label, (FailureModeName | undefined)[]> {
  const byLabel = new Map<Label, (FailureModeName | undefined)[]>([['Good', [undefined]]]);
  for (const mode of failureModes.filter((name) => !leaveOut.includes(name))) {
    byLabel.set(labelFor(mode), [...(byLabel.get(labelFor(mode)) ?? []), mode]);
  }
  return byLabel;
}
