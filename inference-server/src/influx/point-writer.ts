import { FieldType, InfluxDB, type IPoint } from 'influx';
import type { FastifyBaseLogger } from 'fastify';

export interface PointWriterOptions {
  /** InfluxDB 1.x URL with the database as its path, e.g. http://127.0.0.1:8086/hydra. */
  url: string;
  flushIntervalMs: number;
  batchSize: number;
  /** Points kept while InfluxDB cannot be reached; beyond this the oldest are dropped and counted. */
  maxBuffered: number;
  /** Fields written as integers (`131458i`), by measurement; other numeric fields are floats. */
  integerFields?: Record<string, string[]>;
  logger: FastifyBaseLogger;
}

export interface PointWriterStatus {
  enabled: boolean;
  url: string | null;
  healthy: boolean;
  buffered: number;
  written: number;
  dropped: number;
  /** Points InfluxDB refused (a 400 for that point alone): dropped, as no retry can make them land. */
  rejected: number;
  failedWrites: number;
  lastError: string | null;
  lastWriteAt: number | null;
}

/** What GET /ping said: whether InfluxDB answers, however long ago the last write was. */
export interface InfluxPing {
  reachable: boolean;
  latencyMs: number | null;
  version: string | null;
  /** When the answer (or the time-out) came. */
  checkedAt: number;
  error: string | null;
}

const MAX_BACKOFF_MS = 30_000;
const PING_TIMEOUT_MS = 1000;
// /status may be polled often (dashboards, probes): one ping serves every caller for this long.
const PING_CACHE_MS = 5000;

/**
 * Whether InfluxDB refused the points themselves (400: bad line protocol, a field type conflict; 413: too big),
 * as opposed to being unreachable or misconfigured (5xx, a network error, 401/403, a missing database: retry).
 */
function refusedPoints(error: unknown): boolean {
  // node-influx's RequestError (not exported) carries the response.
  const status = (error as { res?: { statusCode?: number } }).res?.statusCode;
  return status === 400 || status === 413;
}

/**
 * Batches points to InfluxDB and retries failed writes with backoff. A point leaves the buffer only after
 * InfluxDB acknowledged it; since every point has a fixed timestamp, a retried write overwrites rather than
 * duplicates. A batch InfluxDB refuses is split until the refused points are found: those are dropped and
 * counted, and the others land.
 */
export class PointWriter {
  private buffer: IPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private backoffMs = 0;
  private nextAttemptAt = 0;
  private databaseReady = false;
  private readonly influx: InfluxDB;
  private readonly database: string;
  /** Every field and tag seen per measurement: node-influx types fields only through a schema that names them all. */
  private schemas = new Map<string, { fields: Record<string, FieldType>; tags: Set<string> }>();
  private settledListeners: Array<(points: readonly IPoint[]) => void> = [];
  private lastPing: { startedAt: number; result: Promise<InfluxPing> } | undefined;
  private stats = {
    written: 0,
    dropped: 0,
    rejected: 0,
    failedWrites: 0,
    lastError: null as string | null,
    lastWriteAt: null as number | null,
  };

  constructor(private readonly options: PointWriterOptions) {
    const url = new URL(options.url);
    this.database = url.pathname.replace(/^\/+|\/+$/g, '') || 'hydra';
    this.influx = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      username: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      database: this.database,
      pool: { maxRetries: 0, requestTimeout: 5000 },
    });
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Calls `listener` with the points of each write that InfluxDB acknowledged, and with each point it refused
   * for good: the points that will never be sent again. Points dropped from a full buffer are not among them.
   */
  onSettled(listener: (points: readonly IPoint[]) => void): void {
    this.settledListeners.push(listener);
  }

  private settled(points: readonly IPoint[]): void {
    if (points.length === 0) return;
    for (const listener of this.settledListeners) {
      try {
        listener(points);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'a listener of written InfluxDB points failed');
      }
    }
  }

  write(points: IPoint[]): void {
    for (const point of points) this.declare(point);
    this.buffer.push(...points);
    const overflow = this.buffer.length - this.options.maxBuffered;
    if (overflow > 0) {
      this.buffer.splice(0, overflow);
      this.stats.dropped += overflow;
      this.options.logger.warn(
        { dropped: overflow, totalDropped: this.stats.dropped },
        'InfluxDB buffer full: dropped the oldest points',
      );
    }
    if (this.buffer.length >= this.options.batchSize) void this.flush();
  }

  private declare(point: IPoint) {
    const measurement = point.measurement!;
    const schema = this.schemas.get(measurement) ?? { fields: {}, tags: new Set<string>() };
    const integers = this.options.integerFields?.[measurement] ?? [];
    const newFields = Object.keys(point.fields ?? {}).filter((name) => !(name in schema.fields));
    const newTags = Object.keys(point.tags ?? {}).filter((name) => !schema.tags.has(name));
    if (newFields.length === 0 && newTags.length === 0) return;
    for (const name of newFields)
      schema.fields[name] = integers.includes(name) ? FieldType.INTEGER : FieldType.FLOAT;
    for (const name of newTags) schema.tags.add(name);
    this.schemas.set(measurement, schema);
    this.influx.addSchema({
      measurement,
      database: this.database,
      fields: { ...schema.fields },
      tags: [...schema.tags],
    });
  }

  /** Sends what is buffered; resolves when this attempt is over (it may leave points for a retry). */
  flush(): Promise<void> {
    this.flushing ??= this.sendBuffered().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendBuffered(): Promise<void> {
    if (Date.now() < this.nextAttemptAt) return;
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.options.batchSize);
      const refused = new Set<IPoint>();
      try {
        if (!this.databaseReady) {
          await this.influx.createDatabase(this.database);
          this.databaseReady = true;
        }
        await this.send(batch, refused);
      } catch (error) {
        // Refused points found before InfluxDB went away are not sent again.
        this.buffer = this.buffer.filter((point) => !refused.has(point));
        this.settled([...refused]);
        this.onWriteFailed(error as Error);
        return;
      }
      // Points written while this batch was in flight were appended after it.
      this.buffer.splice(0, batch.length);
      this.settled(batch);
      this.stats.written += batch.length - refused.size;
      this.stats.lastWriteAt = Date.now();
      if (this.backoffMs > 0) {
        this.options.logger.info({ buffered: this.buffer.length }, 'InfluxDB is back');
        this.lastPing = undefined;
      }
      this.backoffMs = 0;
      this.nextAttemptAt = 0;
      this.stats.lastError = null;
    }
  }

  /** Writes the points; on a refusal, halves the batch until each refused point is alone, and adds it to `refused`. */
  private async send(points: IPoint[], refused: Set<IPoint>): Promise<void> {
    try {
      await this.influx.writePoints(points, { precision: 'n' });
    } catch (error) {
      if (!refusedPoints(error)) throw error;
      if (points.length === 1) {
        this.onPointRefused(points[0]!, error as Error);
        refused.add(points[0]!);
        return;
      }
      const half = Math.ceil(points.length / 2);
      await this.send(points.slice(0, half), refused);
      await this.send(points.slice(half), refused);
    }
  }

  private onPointRefused(point: IPoint, error: Error) {
    this.stats.rejected += 1;
    this.options.logger.error(
      { err: error.message, measurement: point.measurement, tags: point.tags, timestamp: point.timestamp },
      'InfluxDB refused a point; dropped it',
    );
  }

  private onWriteFailed(error: Error) {
    // A ping from before the first failure is out of date.
    if (this.stats.lastError === null) this.lastPing = undefined;
    this.stats.failedWrites += 1;
    this.stats.lastError = error.message;
    this.backoffMs = Math.min(
      MAX_BACKOFF_MS,
      this.backoffMs ? this.backoffMs * 2 : this.options.flushIntervalMs,
    );
    this.nextAttemptAt = Date.now() + this.backoffMs;
    this.options.logger.warn(
      { err: error.message, buffered: this.buffer.length, retryInMs: this.backoffMs },
      'InfluxDB write failed; points kept for retry',
    );
  }

  /** InfluxDB's GET /ping, at most once every few seconds; a change in the writes' fortune pings again. */
  ping(): Promise<InfluxPing> {
    const now = Date.now();
    if (!this.lastPing || now - this.lastPing.startedAt >= PING_CACHE_MS) {
      this.lastPing = { startedAt: now, result: this.pingOnce() };
    }
    return this.lastPing.result;
  }

  private async pingOnce(): Promise<InfluxPing> {
    // node-influx resolves offline hosts rather than rejecting; the one host is the URL's.
    const [host] = await this.influx.ping(PING_TIMEOUT_MS);
    const checkedAt = Date.now();
    if (host?.online) {
      return { reachable: true, latencyMs: host.rtt, version: host.version || null, checkedAt, error: null };
    }
    const error = host?.res
      ? `/ping answered ${host.res.statusCode}`
      : `no answer to /ping (refused, or none within ${PING_TIMEOUT_MS} ms)`;
    return { reachable: false, latencyMs: null, version: null, checkedAt, error };
  }

  status(): PointWriterStatus {
    return {
      enabled: true,
      url: this.options.url.replace(/\/\/[^@/]*@/, '//'),
      healthy: this.stats.lastError === null,
      buffered: this.buffer.length,
      ...this.stats,
    };
  }

  /** Stops the timer and makes one last attempt to send what is buffered. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.nextAttemptAt = 0;
    await this.flush();
    if (this.buffer.length > 0) {
      this.options.logger.error(
        { lost: this.buffer.length },
        'closing with points InfluxDB never acknowledged',
      );
    }
  }
}
