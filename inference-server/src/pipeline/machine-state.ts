import type { BeamState } from '../enums.ts';

/** What the pipeline reads of the accelerator: the beam for each verdict, the run for an image sent without one. */
export interface MachineStateReader {
  beam(): BeamState;
  /** The current run number, or null when none is known. */
  runNumber(): number | null;
}

/**
 * The latest readings of the machine. The pipeline reads it and knows nothing of where they come from; the
 * EPICS plugin writes it from its beam-current and run-number monitors. Without EPICS it stays unknown.
 */
export class MachineState implements MachineStateReader {
  private beamState: BeamState = 'unknown';
  private beamCurrent: number | null = null;
  private run: number | null = null;

  beam(): BeamState {
    return this.beamState;
  }

  current(): number | null {
    return this.beamCurrent;
  }

  runNumber(): number | null {
    return this.run;
  }

  /** A beam-current reading (null: no reading, e.g. the IOC is down); at or above the threshold the beam is on. */
  setBeamCurrent(current: number | null, threshold: number): void {
    this.beamCurrent = current;
    this.beamState = current === null ? 'unknown' : current >= threshold ? 'on' : 'off';
  }

  /** A run-number reading; only a positive integer is a run. */
  setRunNumber(run: number | null): void {
    this.run = run !== null && Number.isSafeInteger(run) && run > 0 ? run : null;
  }
}
