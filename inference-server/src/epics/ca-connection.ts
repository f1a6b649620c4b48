import type { FastifyBaseLogger } from 'fastify';
import { Channel_STATES, Context, Context_STATES, type Channel } from 'epics-tca';
import type { EpicsConnectionState } from '../enums.ts';

export interface CaConnectionOptions {
  /** EPICS_CA_ADDR_LIST: the hosts searched for PVs. */
  addrList: string;
  serverPort: number;
  /** How long a channel may take to connect, and a put to be confirmed. */
  timeoutMs: number;
  /** Longest wait between two connection attempts while the IOC is down. */
  reconnectMaxMs: number;
  logger: FastifyBaseLogger;
  /** PVs whose channels tell whether the IOC answers (the monitored ones, then every PV written so far). */
  probePvs: () => string[];
  /** Called once per connection (subscribe the monitors, write the latest values). */
  onConnected: () => Promise<void>;
  /** Called when the IOC stops answering. */
  onDisconnected: () => void;
}

/** epics-tca's log level: 5 is fatal only. Every outcome is logged by us, with names. */
const CA_LOG_LEVEL = 5;
const FIRST_RETRY_MS = 100;
/** PVs asked per connection attempt, each for up to the timeout. */
const MAX_PROBES = 3;
/** How often open channels are checked: a killed IOC closes their TCP connection. */
const WATCH_INTERVAL_MS = 250;
const WATCH_GRACE_MS = 1000;

/**
 * One Channel Access context and the channels on it, reconnecting with back-off. The context lives as long as
 * the connection (making one costs about 270 ms of CPU: a UDP socket and a repeater thread); when the IOC
 * stops answering, every channel is dropped and a new one is searched for, so that no half-dead channel is
 * ever used.
 */
export class CaConnection {
  private context: Context | undefined;
  private channels = new Map<string, Promise<Channel | undefined>>();
  /** The channels that connected, watched for the IOC going away. */
  private open = new Map<string, Channel>();
  /** Bumped when the channels are dropped: a creation that settles later belongs to the past. */
  private generation = 0;
  private creating = new Set<Promise<Channel | undefined>>();
  private connectionState: EpicsConnectionState = 'connecting';
  private stateSince = Date.now();
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private attempting: Promise<void> | undefined;
  private closed = false;
  private lastError: string | null = null;

  constructor(private readonly options: CaConnectionOptions) {}

  get state(): EpicsConnectionState {
    return this.connectionState;
  }

  get since(): number {
    return this.stateSince;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** Starts connecting in the background: an IOC that is down never holds up the server's start. */
  start(): void {
    this.attemptSoon(0);
  }

  /** A new PV to probe while not connected: try at once rather than at the end of a long back-off. */
  nudge(): void {
    if (this.connectionState !== 'connected' && !this.attempting) this.attemptSoon(0);
  }

  /** The connected channel of a PV; undefined when the PV does not answer within the timeout. */
  channel(pv: string): Promise<Channel | undefined> {
    const context = this.context;
    if (!context || this.connectionState !== 'connected') return Promise.resolve(undefined);
    return this.channels.get(pv) ?? this.createChannel(context, pv);
  }

  /** The IOC stopped answering (a put found the channel gone): drop the channels and reconnect. */
  lost(reason: string): void {
    if (this.connectionState !== 'connected') return;
    this.lastError = reason;
    this.setState('disconnected');
    this.options.logger.warn({ reason }, 'EPICS IOC disconnected; writes are dropped until it is back');
    this.dropChannels();
    this.options.onDisconnected();
    this.attemptSoon(this.retryMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.attempting;
    this.dropChannels();
    // epics-tca does not await one step of a creation, and a context destroyed under it faults there.
    await Promise.allSettled([...this.creating]);
    this.context?.destroyHard();
    this.context = undefined;
  }

  private attemptSoon(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.attempting ??= this.attempt().finally(() => (this.attempting = undefined));
    }, delayMs);
    this.retryTimer.unref();
  }

  private async attempt(): Promise<void> {
    const { logger } = this.options;
    const pvs = this.options.probePvs();
    try {
      const context = await this.contextOnce();
      // Connected when a known PV answers; with none known yet there is nothing to ask. One at a time: epics-tca
      // lets a second creation race the first one's handshake on a new TCP connection and fault.
      let found = false;
      for (const pv of pvs.slice(0, MAX_PROBES)) {
        if (this.closed) return;
        if ((found = (await this.createChannel(context, pv)) !== undefined)) break;
      }
      if (this.closed) return;
      if (!found) {
        throw new Error(pvs.length ? `none of ${pvs.join(', ')} answered` : 'no PV to connect to yet');
      }
    } catch (error) {
      this.dropChannels();
      if (this.closed) return;
      this.lastError = (error as Error).message;
      logger.debug({ reason: this.lastError, retryMs: this.retryMs }, 'EPICS IOC not reachable yet');
      // With no PV known, wait for the first put to nudge rather than poll for nothing.
      if (pvs.length) this.attemptSoon(this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, this.options.reconnectMaxMs);
      return;
    }
    this.retryMs = FIRST_RETRY_MS;
    this.lastError = null;
    this.setState('connected');
    logger.info({ addrList: this.options.addrList, port: this.options.serverPort }, 'EPICS IOC connected');
    this.watch();
    await this.options.onConnected();
  }

  private async contextOnce(): Promise<Context> {
    if (this.context) return this.context;
    const context = new Context(
      {
        EPICS_CA_ADDR_LIST: this.options.addrList,
        EPICS_CA_AUTO_ADDR_LIST: 'NO',
        EPICS_CA_SERVER_PORT: String(this.options.serverPort),
      },
      CA_LOG_LEVEL,
    );
    await context.initialize();
    if (context.getState() !== Context_STATES.INITIALIZED) {
      context.destroyHard();
      throw new Error('could not open the Channel Access UDP socket');
    }
    this.context = context;
    return context;
  }

  private createChannel(context: Context, pv: string): Promise<Channel | undefined> {
    const generation = this.generation;
    const channel = context
      .createChannel(pv, 'ca', caSeconds(this.options.timeoutMs))
      .catch(() => undefined)
      .then((found) => {
        // Created for channels since dropped: not used (nor destroyed: a newer creation of the same PV may
        // have been handed the same channel by epics-tca).
        if (generation !== this.generation) return undefined;
        if (found) this.open.set(pv, found);
        // A PV that did not answer is looked for again next time.
        if (!found && this.channels.get(pv) === channel) this.channels.delete(pv);
        return found;
      })
      .finally(() => this.creating.delete(channel));
    this.channels.set(pv, channel);
    this.creating.add(channel);
    return channel;
  }

  /**
   * A killed IOC closes the TCP connection of every channel: notice it even when nothing is being written. A
   * channel that epics-tca recreates at once (it does so on a beacon anomaly, e.g. another IOC starting) is
   * given a grace period.
   */
  private watch(): void {
    clearInterval(this.watchTimer);
    const down = new Map<string, number>();
    this.watchTimer = setInterval(() => {
      const now = Date.now();
      for (const [pv, channel] of this.open) {
        if (channel.getState() === Channel_STATES.CREATED) {
          down.delete(pv);
          continue;
        }
        const since = down.get(pv) ?? now;
        down.set(pv, since);
        if (now - since >= WATCH_GRACE_MS) {
          this.lost(`the channel of ${pv} is ${channel.getStateStr()}`);
          return;
        }
      }
    }, WATCH_INTERVAL_MS);
    this.watchTimer.unref();
  }

  /** Forgets every channel; the connected ones are destroyed now, those being created when they settle. */
  private dropChannels(): void {
    clearInterval(this.watchTimer);
    this.generation += 1;
    for (const channel of this.open.values()) {
      channel
        .destroyHard()
        .catch((error: unknown) =>
          this.options.logger.debug({ err: error }, 'EPICS channel did not close cleanly'),
        );
    }
    this.channels.clear();
    this.open.clear();
  }

  private setState(state: EpicsConnectionState): void {
    this.connectionState = state;
    this.stateSince = Date.now();
  }
}

/** epics-tca's timeouts are in seconds. */
export const caSeconds = (ms: number) => ms / 1000;

/** The promise's value, or undefined when it takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
