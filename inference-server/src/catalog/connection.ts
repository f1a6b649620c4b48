import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqlite } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';

export type SqlEngine = 'sqlite' | 'postgres';

export interface CatalogConnection {
  db: Kysely<Database>;
  engine: SqlEngine;
}

/** Told when PostgreSQL drops an idle connection (a restart, a failover): the pool opens another when needed. */
export type ConnectionErrorHandler = (error: Error) => void;

// Times are stored as bigint epoch milliseconds; they fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Distinct SQL texts kept prepared; lists of ids make new texts (`in (?, ?, ...)`), so the oldest go first. */
const PREPARED_STATEMENTS = 500;

/**
 * The SQLite database as Kysely sees it, with each SQL text prepared once: Kysely prepares every query it runs,
 * and on the ingest path preparing cost more than running. A statement still being iterated is not reused.
 */
function preparedOnce(sqlite: SqliteDatabase.Database): KyselySqlite {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (statements.size >= PREPARED_STATEMENTS) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Opens the catalog named by `url`: `sqlite:PATH` (the embedded default) or `postgres://...`. */
export function connectCatalog(
  url: string,
  onConnectionError: ConnectionErrorHandler = (error) =>
    console.error(`catalog: PostgreSQL dropped a connection: ${error.message}`),
): CatalogConnection {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    return {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite) }) }),
      engine: 'sqlite',
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return {
      db: new Kysely<Database>({
        dialect: new PostgresDialect({ pool: closingPool(url, onConnectionError) }),
      }),
      engine: 'postgres',
    };
  }
  throw new Error(`unsupported database URL "${url}": use sqlite:PATH or postgres://...`);
}

/**
 * A pool whose end waits until its connections are closed. pg-pool's own end() resolves while they are still
 * closing, and a connection the server terminated in that moment (a test dropping its database right after
 * `app.close()`) raised an uncaught "terminating connection due to administrator command".
 */
function closingPool(url: string, onConnectionError: ConnectionErrorHandler) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const open = new Set<Promise<void>>();
  pool.on('connect', (client) => {
    const closed = new Promise<void>((resolve) => client.once('end', resolve));
    open.add(closed);
    void closed.then(() => open.delete(closed));
  });
  // Without a listener, an idle connection the server drops is an uncaught error that stops the process.
  pool.on('error', onConnectionError);
  return {
    connect: () => pool.connect(),
    end: async () => {
      await pool.end();
      await Promise.all(open);
    },
  };
}
