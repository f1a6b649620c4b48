import type { FastifyBaseLogger } from 'fastify';
import { caSeconds, type CaConnection } from './ca-connection.ts';

/** A PV read by a CA monitor: its value on every change, null while it cannot be read. */
export interface MonitoredPv {
  pv: string;
  onValue(value: number | null): void;
}

/** Subscribes the monitored PVs on each connection; a lost connection makes every reading null. */
export class PvMonitors {
  constructor(
    private readonly connection: CaConnection,
    private readonly monitored: readonly MonitoredPv[],
    private readonly logger: FastifyBaseLogger,
    private readonly timeoutMs: number,
  ) {}

  pvs(): string[] {
    return this.monitored.map((m) => m.pv);
  }

  async subscribe(): Promise<void> {
    await Promise.all(this.monitored.map((m) => this.subscribeOne(m)));
  }

  /** The IOC is gone: the last readings no longer say anything. */
  lost(): void {
    for (const m of this.monitored) m.onValue(null);
  }

  private async subscribeOne({ pv, onValue }: MonitoredPv): Promise<void> {
    const channel = await this.connection.channel(pv);
    const monitor = await channel?.createMonitor(caSeconds(this.timeoutMs), (event) => {
      onValue(numberOf(event.getChannel().getDbrValue()));
    });
    if (!monitor) {
      this.logger.warn({ pv }, 'EPICS: could not monitor a PV; its reading stays unknown');
      return;
    }
    this.logger.info({ pv }, 'EPICS: monitoring');
  }
}

function numberOf(value: unknown): number | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const number = typeof first === 'string' ? Number(first) : first;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}
