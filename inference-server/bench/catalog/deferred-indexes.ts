import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../../src/catalog/connection.ts';
import type { Database } from '../../src/catalog/database.ts';

interface IndexDefinition {
  name: string;
  definition: string;
}

/** The table's indexes as the migrations made them, but for those behind a key or a unique constraint. */
async function secondaryIndexes(
  db: Kysely<Database>,
  engine: SqlEngine,
  table: string,
): Promise<IndexDefinition[]> {
  const query =
    engine === 'postgres'
      ? sql<IndexDefinition>`select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() and tablename = ${table}
            and indexname not in (select conname from pg_constraint)`
      : // SQLite keeps no statement for the indexes behind constraints.
        sql<IndexDefinition>`select name, sql as definition from sqlite_master
          where type = 'index' and tbl_name = ${table} and sql is not null`;
  return (await query.execute(db)).rows;
}

/**
 * Runs `work` with the tables' secondary indexes dropped, then creates them again from their own definitions: a
 * bulk load then writes each row once instead of once per index and per update (PostgreSQL's manual, "Populating a
 * Database": remove indexes).
 */
export async function withIndexesDeferred<T>(
  db: Kysely<Database>,
  engine: SqlEngine,
  tables: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const indexes = (await Promise.all(tables.map((table) => secondaryIndexes(db, engine, table)))).flat();
  for (const { name } of indexes) await sql`drop index ${sql.id(name)}`.execute(db);
  try {
    return await work();
  } finally {
    for (const { definition } of indexes) await sql.raw(definition).execute(db);
  }
}
