import type { FastifyBaseLogger } from 'fastify';
import { caSeconds, withTimeout, type CaConnection } from './ca-connection.ts';
import type { PutOutcome, PvWriter } from './pv-writer.ts';

/** What happened to the puts since the start. */
export interface PutCounters {
  ok: number;
  failed: number;
  /** Puts not sent because the IOC was down; the latest value of each PV is written on reconnect. */
  droppedWhileDown: number;
  /** Latest values written when the IOC came back. */
  catchUpWrites: number;
}

/** ECA_NORMAL, the status of a put the IOC carried out. */
const ECA_NORMAL = 1;

/**
 * Puts over Channel Access, with a callback (the IOC confirms each one). While the IOC is down a put is
 * dropped at once and counted, so that no caller waits on it; the latest value of every PV is kept and
 * written again when the IOC is back (a restarted IOC has lost them all).
 */
export class CaPvWriter implements PvWriter {
  readonly enabled = true;
  readonly counters: PutCounters = { ok: 0, failed: 0, droppedWhileDown: 0, catchUpWrites: 0 };
  private readonly latest = new Map<string, number | string>();

  constructor(
    private readonly connection: CaConnection,
    private readonly logger: FastifyBaseLogger,
    private readonly timeoutMs: number,
  ) {}

  /** Every PV written so far. */
  pvs(): string[] {
    return [...this.latest.keys()];
  }

  put(pv: string, value: number | string): Promise<PutOutcome> {
    this.latest.set(pv, value);
    if (this.connection.state !== 'connected') {
      this.counters.droppedWhileDown += 1;
      this.connection.nudge();
      this.logger.debug({ pv, value }, 'EPICS put dropped: the IOC is not connected');
      return Promise.resolve(outcome(pv, value, `IOC ${this.connection.state}: written when it is back`));
    }
    return this.send(pv, value);
  }

  /** Writes the latest value of every PV; called on each (re)connection. */
  async writeLatest(): Promise<void> {
    const writes = [...this.latest].map(async ([pv, value]) => {
      const result = await this.send(pv, value);
      if (result.ok) this.counters.catchUpWrites += 1;
      return result.ok;
    });
    const written = (await Promise.all(writes)).filter(Boolean).length;
    if (writes.length) {
      this.logger.info(
        { written, pvs: writes.length, droppedWhileDown: this.counters.droppedWhileDown },
        'EPICS: wrote the latest value of each PV',
      );
    }
  }

  private async send(pv: string, value: number | string): Promise<PutOutcome> {
    const error = await withTimeout(
      this.sendAndConfirm(pv, value).catch((e: Error) => e.message),
      this.timeoutMs,
    ).then((reason) => (reason === undefined ? `no confirmation within ${this.timeoutMs} ms` : reason));
    if (error === null) {
      this.counters.ok += 1;
      this.logger.debug({ pv, value }, 'EPICS put confirmed');
      return { pv, value, ok: true, at: Date.now() };
    }
    this.counters.failed += 1;
    this.logger.warn({ pv, value, reason: error }, 'EPICS put failed');
    return outcome(pv, value, error);
  }

  /** Null when the IOC confirmed the put, else why not. */
  private async sendAndConfirm(pv: string, value: number | string): Promise<string | null> {
    const channel = await this.connection.channel(pv);
    if (!channel) {
      return this.connection.state === 'connected'
        ? `no PV named ${pv} answered within ${this.timeoutMs} ms`
        : `IOC ${this.connection.state}`;
    }
    // One element of the value's own type: a string record takes strings, a numeric one numbers.
    const payload = typeof value === 'string' ? [value] : [value];
    const status = await channel.put(payload, caSeconds(this.timeoutMs), true);
    if (status === ECA_NORMAL) return null;
    if (status === undefined) {
      // The channel is not connected: reconnect, and the latest values are written again then.
      const reason = `the channel of ${pv} is ${channel.getStateStr()}`;
      this.connection.lost(reason);
      return reason;
    }
    // No answer on a connected channel: a slow IOC, or one gone (the connection's watch decides).
    if (status === 0) return `no confirmation within ${this.timeoutMs} ms`;
    return `the IOC refused the put (CA status ${status})`;
  }
}

function outcome(pv: string, value: number | string, error: string): PutOutcome {
  return { pv, value, ok: false, error, at: Date.now() };
}

/** The writer when EPICS is not configured: every put fails with the reason, and callers need no branch. */
export const disabledPvWriter: PvWriter = {
  enabled: false,
  put: (pv, value) => Promise.resolve(outcome(pv, value, 'EPICS is not configured')),
};
