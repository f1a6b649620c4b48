import type { StatusSample } from '../schemas/index.ts';

/** What a sample reads from the running services. */
export type SampleReading = Omit<StatusSample, 'at'>;

/**
 * Samples of this replica's load taken every `intervalMs`, kept for `keepMs`, in memory: the Status page's
 * charts. A slow read skips a tick rather than piling up.
 */
export class StatusHistory {
  private readonly samples: Array<StatusSample & { atMs: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<SampleReading>,
    readonly intervalMs: number,
    private readonly keepMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling, after the sample under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }

  /** The samples of the last `minutes`, oldest first. */
  since(minutes: number, now = Date.now()): StatusSample[] {
    const from = now - minutes * 60_000;
    return this.samples.filter((sample) => sample.atMs >= from).map(({ atMs: _, ...sample }) => sample);
  }

  private tick(): void {
    this.sampling ??= this.sample().finally(() => (this.sampling = undefined));
  }

  private async sample(): Promise<void> {
    try {
      const reading = await this.read();
      const now = Date.now();
      this.samples.push({ at: new Date(now).toISOString(), atMs: now, ...reading });
      const keepFrom = now - this.keepMs;
      const drop = this.samples.findIndex((sample) => sample.atMs >= keepFrom);
      if (drop > 0) this.samples.splice(0, drop);
    } catch (error) {
      this.onError(error);
    }
  }
}
