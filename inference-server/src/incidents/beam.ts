// The beam over a period, from the beam state stored with each verdict (read from the beam-current PV through
// EPICS, `unknown` without it). Pure: no SQL, no HTTP.
import type { BeamState } from '../enums.ts';

/** The beam state from `at` until the next change. */
export interface BeamChange {
  at: number;
  beam: BeamState;
}

export class BeamTimeline {
  private readonly changes: BeamChange[];

  /** `changes` in any order; the state before the first one is unknown. */
  constructor(changes: readonly BeamChange[]) {
    this.changes = [...changes].sort((a, b) => a.at - b.at);
  }

  /** Whether any verdict of the period read the beam: without a reading, all time counts as beam time. */
  get known(): boolean {
    return this.changes.some((change) => change.beam !== 'unknown');
  }

  /**
   * Milliseconds of [from, to) with beam: on, or unknown (a stretch with no reading cannot be left out, so the
   * figure never understates the wait).
   */
  onMs(from: number, to: number): number {
    let total = 0;
    let state: BeamState = 'unknown';
    let since = from;
    for (const change of this.changes) {
      if (change.at >= to) break;
      if (change.at > since) {
        if (state !== 'off') total += change.at - since;
        since = change.at;
      }
      state = change.beam;
    }
    if (to > since && state !== 'off') total += to - since;
    return total;
  }
}
