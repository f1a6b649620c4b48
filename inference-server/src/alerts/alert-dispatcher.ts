import type { FastifyBaseLogger } from 'fastify';
import type {
  AlertEventsRepository,
  AlertWriteRow,
} from '../catalog/repositories/alert-events-repository.ts';
import type { PvWriter } from '../epics/pv-writer.ts';

export interface AlertDispatcherOptions {
  repository: AlertEventsRepository;
  writer: PvWriter;
  /** Puts per write before it is recorded as failed. */
  maxAttempts: number;
  /** Wait before the first retry; it doubles with each attempt, up to MAX_RETRY_MS. */
  retryMs: number;
  logger: FastifyBaseLogger;
}

const MAX_RETRY_MS = 60_000;
/** Writes tried at once: distinct PVs, so their order does not matter. */
const BATCH = 100;

/**
 * Does the EPICS writes of recorded alert events, from their rows: Grafana got its answer already, so a write
 * that fails is retried here with back-off, and its outcome recorded. A write still waiting when a newer one to
 * its PV comes is superseded, so a retry never puts back an older value.
 */
export class AlertDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: AlertDispatcherOptions) {}

  /** Resumes the writes a previous run left pending, at once. */
  async start(): Promise<void> {
    const resumed = await this.options.repository.makePendingDue(Date.now());
    if (resumed > 0) this.options.logger.info({ writes: resumed }, 'resuming pending alarm writes');
    this.kick();
  }

  /** Sends what is due now; called after every recorded event. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'alarm writes failed to run'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.scheduleNext().catch((error: unknown) =>
            this.options.logger.error({ err: error }, 'alarm writes could not be scheduled'),
          );
        }
      });
  }

  /** Resolves when no round of writes is running (the writes in flight have their outcomes recorded). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.settled();
  }

  private async drain(): Promise<void> {
    const { repository } = this.options;
    for (;;) {
      await repository.supersedeStaleWrites();
      const due = newestPerPv(await repository.dueWrites(Date.now(), BATCH));
      if (due.length === 0 || this.closed) return;
      await Promise.all(due.map((write) => this.attempt(write)));
    }
  }

  private async attempt(write: AlertWriteRow): Promise<void> {
    const { writer, repository, maxAttempts, retryMs, logger } = this.options;
    const outcome = await writer.put(write.pv, write.value);
    const attempts = write.attempts + 1;
    const context = { pv: write.pv, value: write.value, attempts };
    if (outcome.ok) {
      await repository.recordAttempt(write.id, { ok: true, at: outcome.at });
      logger.info(context, 'alarm write done');
      return;
    }
    const error = outcome.error ?? 'the put failed';
    const retryAt =
      attempts < maxAttempts ? Date.now() + Math.min(MAX_RETRY_MS, retryMs * 2 ** (attempts - 1)) : null;
    await repository.recordAttempt(write.id, { ok: false, at: outcome.at, error, retryAt });
    if (retryAt === null) logger.error({ ...context, error }, 'alarm write failed: giving up');
    else
      logger.warn({ ...context, error, retryInMs: retryAt - Date.now() }, 'alarm write failed: will retry');
  }

  private async scheduleNext(): Promise<void> {
    if (this.closed) return;
    const due = await this.options.repository.nextDueAt();
    if (due === undefined || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - Date.now()));
    this.timer.unref();
  }
}

/** One write per PV, the newest: an older one left pending is superseded in the next round. */
function newestPerPv(writes: AlertWriteRow[]): AlertWriteRow[] {
  const newest = new Map<string, AlertWriteRow>();
  for (const write of writes) newest.set(write.pv, write);
  return [...newest.values()];
}
