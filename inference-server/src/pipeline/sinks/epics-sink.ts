import type { FastifyBaseLogger } from 'fastify';
import type { ClassSeverity } from '../../enums.ts';
import type { PvNames } from '../../epics/pv-names.ts';
import type { PvWriter } from '../../epics/pv-writer.ts';
import type { Verdict } from '../verdict.ts';
import type { VerdictSink } from '../verdict-sinks.ts';

export interface EpicsSinkOptions {
  writer: PvWriter;
  names: PvNames;
  /** A plot type's classes and their severities (the catalog's `class` rows). */
  classesOf: (plotTypeId: number) => Promise<{ name: string; severity: ClassSeverity }[]>;
  logger: FastifyBaseLogger;
}

/**
 * Every verdict to the control room's alarm system, over Channel Access:
 * - the plot's PV gets p(Good) − p(Bad), where Good is every class of severity `ok` and Bad every class of
 *   severity `alarm` (the catalog marks them so, e.g. Good and Bad; warn classes such as NoData count for
 *   neither), so the value runs from −1 (surely Bad) to +1 (surely Good);
 * - per deployment, BAD_COUNT is how many plot types are confirmed Bad now (their latest verdict is
 *   confirmed and of severity `alarm`) and LAST_BAD the last plot type confirmed Bad.
 *
 * Beam gating: a verdict made with the beam off writes nothing (counted as suppressed). Without beam a plot
 * is empty or cosmic-only and reads as Bad, so writing it would page the shift crew for every plot at every
 * beam trip; and a CA put cannot carry a severity of its own (the record computes its severity from its
 * alarm limits), so a "beam off" severity would need a second PV per plot. The verdict itself is stored and
 * sent to InfluxDB with `beam=off`, for Grafana. An unknown beam (no beam PV, or the IOC is down) never gates.
 *
 * Puts are fired, never awaited here: the writer counts and logs each outcome, and an IOC that is down
 * costs the batcher nothing.
 */
export class EpicsSink implements VerdictSink {
  readonly name = 'epics';
  /** Verdicts not written because the beam was off. */
  suppressedBeamOff = 0;
  private readonly classSeverities = new Map<number, Promise<Map<string, ClassSeverity>>>();
  private readonly confirmedBad = new Map<string, Set<string>>();
  private readonly lastBad = new Map<string, string>();
  private readonly badCountWritten = new Set<string>();
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: EpicsSinkOptions) {}

  accept(verdicts: readonly Verdict[]): void {
    // In order, batch after batch: the summary PVs follow the verdicts as they were made.
    this.pending = this.pending
      .then(() => this.write(verdicts))
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'EPICS sink could not write a batch of verdicts'),
      );
  }

  private async write(verdicts: readonly Verdict[]): Promise<void> {
    const { writer, names } = this.options;
    const touched = new Map<string, number>();
    for (const verdict of verdicts) {
      if (verdict.beam === 'off') {
        this.suppressedBeamOff += 1;
        continue;
      }
      const severities = await this.severitiesOf(verdict);
      let good = 0;
      let bad = 0;
      for (const [name, score] of Object.entries(verdict.scores)) {
        if (severities.get(name) === 'ok') good += score;
        if (severities.get(name) === 'alarm') bad += score;
      }
      void writer.put(names.plot(verdict.deployment, verdict.plotType), good - bad);

      const badNow = this.badSet(verdict.deployment);
      touched.set(verdict.deployment, touched.get(verdict.deployment) ?? badNow.size);
      if (verdict.confirmed && severities.get(verdict.verdict) === 'alarm') {
        badNow.add(verdict.plotType);
        if (this.lastBad.get(verdict.deployment) !== verdict.plotType) {
          this.lastBad.set(verdict.deployment, verdict.plotType);
          void writer.put(names.lastBad(verdict.deployment), verdict.plotType);
        }
      } else {
        badNow.delete(verdict.plotType);
      }
    }
    for (const [deployment, before] of touched) {
      const count = this.badSet(deployment).size;
      // Written on a change, and once per deployment at the first verdict so that the PV is never stale.
      if (count !== before || !this.badCountWritten.has(deployment)) {
        this.badCountWritten.add(deployment);
        void writer.put(names.badCount(deployment), count);
      }
    }
  }

  private badSet(deployment: string): Set<string> {
    let set = this.confirmedBad.get(deployment);
    if (!set) this.confirmedBad.set(deployment, (set = new Set()));
    return set;
  }

  /** Per model version: a new version may bring new classes. */
  private severitiesOf(verdict: Verdict): Promise<Map<string, ClassSeverity>> {
    let severities = this.classSeverities.get(verdict.modelVersionId);
    if (!severities) {
      severities = this.options
        .classesOf(verdict.plotTypeId)
        .then((classes) => new Map(classes.map((c) => [c.name, c.severity])));
      severities.catch(() => this.classSeverities.delete(verdict.modelVersionId));
      this.classSeverities.set(verdict.modelVersionId, severities);
    }
    return severities;
  }
}
