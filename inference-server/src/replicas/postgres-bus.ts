import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type {
  ReplicaBus,
  ReplicaMessage,
  ReplicaMessageHandler,
  ReplicaMessageOf,
  ReplicaMessageType,
} from './replica-bus.ts';

/** The notification channel every replica of a catalog listens on. */
const CHANNEL = 'hydra_replicas';
/** PostgreSQL refuses a notification of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7999;
/** First key of the advisory lock that reserves a replica's name (the second is the name's hash). */
const REPLICA_NAME_LOCK = 0x48594452;
const FIRST_RETRY_MS = 200;
const LONGEST_RETRY_MS = 10_000;

export class ReplicaNameTakenError extends Error {
  override name = 'ReplicaNameTakenError';
}

export interface PostgresReplicaBusOptions {
  /** This replica's name: its claims carry it, so no two running replicas may share it. */
  instanceId: string;
  /** Sends one notification (through the catalog's pool, which outlives a dropped connection). */
  notify(channel: string, payload: string): Promise<void>;
  logger: FastifyBaseLogger;
}

type Envelope = ReplicaMessage & { from: string };
type AnyHandler = (message: ReplicaMessage, from: string) => void | Promise<void>;

/**
 * Replicas on one PostgreSQL tell each other what changed with NOTIFY, and hear it on a dedicated LISTEN
 * connection that reconnects when it drops. That connection also holds an advisory lock on the replica's name, so
 * a second running replica of the same name refuses to start (they would release each other's claims); the lock
 * goes with the connection when a replica dies.
 */
export class PostgresReplicaBus implements ReplicaBus {
  readonly shared = true;
  #client: pg.Client | undefined;
  #handlers = new Map<ReplicaMessageType, Set<AnyHandler>>();
  #sending: Promise<void> = Promise.resolve();
  #retryTimer: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #closed = false;

  private constructor(private readonly options: PostgresReplicaBusOptions) {}

  /** Listens from now on; refuses when a running replica has this one's name. */
  static async start(options: PostgresReplicaBusOptions & { url: string }): Promise<PostgresReplicaBus> {
    const bus = new PostgresReplicaBus(options);
    await bus.#connect(options.url);
    return bus;
  }

  /** A bus that only tells the running replicas, for a command that changes what they run (`hydra model add`). */
  static announcer(options: PostgresReplicaBusOptions): PostgresReplicaBus {
    return new PostgresReplicaBus(options);
  }

  send(message: ReplicaMessage): void {
    const payload = JSON.stringify({ ...message, from: this.options.instanceId } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(
        `a "${message.type}" message of ${Buffer.byteLength(payload)} bytes is too long to notify`,
      );
    }
    // One after the other, so that the others hear a replica's messages in the order it sent them.
    this.#sending = this.#sending
      .then(() => this.options.notify(CHANNEL, payload))
      .catch((error: Error) =>
        this.options.logger.warn(
          { err: error, message: message.type },
          'could not tell the other replicas: they see the change when they next read the catalog',
        ),
      );
  }

  on<T extends ReplicaMessageType>(type: T, handler: ReplicaMessageHandler<T>): () => void {
    const handlers = this.#handlers.get(type) ?? new Set();
    this.#handlers.set(type, handlers);
    // Messages are dispatched by their type, so this one is of T.
    const dispatch: AnyHandler = (message, from) => handler(message as ReplicaMessageOf<T>, from);
    handlers.add(dispatch);
    return () => handlers.delete(dispatch);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    await this.#sending;
    const client = this.#client;
    this.#client = undefined;
    await client?.end();
  }

  async #connect(url: string): Promise<void> {
    const { instanceId } = this.options;
    // Named, so that pg_stat_activity shows whose it is.
    const client = new pg.Client({ connectionString: url, application_name: `hydra replica ${instanceId}` });
    client.on('notification', ({ channel, payload }) => {
      if (channel === CHANNEL && payload !== undefined) this.#receive(payload);
    });
    client.on('error', (error) => this.#lost(url, client, error));
    client.on('end', () => this.#lost(url, client));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1, hashtext($2)) as locked',
        [REPLICA_NAME_LOCK, instanceId],
      );
      if (!rows[0]!.locked) {
        throw new ReplicaNameTakenError(
          `another running replica on this catalog is named "${instanceId}": give each replica its own ` +
            'HYDRA_INSTANCE_ID',
        );
      }
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      // Closed while this reconnection was under way.
      client.removeAllListeners('end');
      await client.end();
      return;
    }
    this.#client = client;
    this.#retryMs = FIRST_RETRY_MS;
  }

  #lost(url: string, client: pg.Client, error?: Error): void {
    if (this.#closed || client !== this.#client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    this.options.logger.warn(
      { err: error },
      'lost the connection that hears the other replicas: reconnecting (their live events miss this one meanwhile)',
    );
    this.#reconnectLater(url);
  }

  #reconnectLater(url: string): void {
    this.#retryTimer = setTimeout(() => {
      if (this.#closed) return;
      this.#connect(url).then(
        () => this.options.logger.info('hears the other replicas again'),
        (error: Error) => {
          this.options.logger.error(
            { err: error, retryMs: this.#retryMs },
            'could not reconnect to hear the other replicas',
          );
          this.#retryMs = Math.min(this.#retryMs * 2, LONGEST_RETRY_MS);
          this.#reconnectLater(url);
        },
      );
    }, this.#retryMs);
    this.#retryTimer.unref();
  }

  #receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'a replica notification that is not JSON was ignored');
      return;
    }
    const { from, ...rest } = envelope;
    const message = rest as ReplicaMessage;
    if (from === this.options.instanceId) return;
    for (const handler of this.#handlers.get(message.type) ?? []) {
      void Promise.resolve()
        .then(() => handler(message, from))
        .catch((error: Error) =>
          this.options.logger.error({ err: error, message: message.type, from }, 'a replica message failed'),
        );
    }
  }
}
