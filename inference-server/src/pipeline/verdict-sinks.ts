import type { FastifyBaseLogger } from 'fastify';
import type { Verdict } from './verdict.ts';

/** Somewhere a stored verdict goes: InfluxDB, the live stream, stats, Grad-CAM, EPICS. */
export interface VerdictSink {
  /** Names the sink in logs, /api/v1/status and /metrics. */
  readonly name: string;
  /** Receives each stored batch of verdicts; whatever it returns is not waited for. */
  accept(verdicts: readonly Verdict[]): void | Promise<void>;
}

/**
 * Hands each stored batch of verdicts to every sink. A sink that throws or rejects is logged and counted, and
 * neither stops the others nor un-classifies the images: the catalog already holds the verdicts.
 */
export class VerdictSinks {
  private readonly sinks: VerdictSink[] = [];
  private readonly failures = new Map<string, number>();

  constructor(
    sinks: readonly VerdictSink[],
    private readonly logger: FastifyBaseLogger,
  ) {
    for (const sink of sinks) this.add(sink);
  }

  /** One more output, e.g. from a plugin registered after the pipeline (EPICS). */
  add(sink: VerdictSink): void {
    if (this.failures.has(sink.name)) throw new Error(`a verdict sink named "${sink.name}" is already added`);
    this.sinks.push(sink);
    this.failures.set(sink.name, 0);
  }

  deliver(verdicts: readonly Verdict[]): void {
    for (const sink of this.sinks) {
      try {
        void Promise.resolve(sink.accept(verdicts)).catch((error: unknown) =>
          this.failed(sink, verdicts, error),
        );
      } catch (error) {
        this.failed(sink, verdicts, error);
      }
    }
  }

  /** Failed deliveries per sink since the start. */
  failureCounts(): Record<string, number> {
    return Object.fromEntries(this.failures);
  }

  private failed(sink: VerdictSink, verdicts: readonly Verdict[], error: unknown) {
    this.failures.set(sink.name, (this.failures.get(sink.name) ?? 0) + 1);
    this.logger.error(
      { err: error, sink: sink.name, predictionIds: verdicts.map((v) => v.id) },
      `verdict sink "${sink.name}" failed; the verdicts stay stored`,
    );
  }
}
