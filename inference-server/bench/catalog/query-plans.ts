// Which statements a repository call runs, and whether their plans read the big tables through an index: EXPLAIN
// QUERY PLAN on SQLite, EXPLAIN (FORMAT JSON) on PostgreSQL.
import {
  CompiledQuery,
  sql,
  createQueryId,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { Repositories } from '../../src/catalog/catalog.ts';
import type { SqlEngine } from '../../src/catalog/connection.ts';
import type { Database } from '../../src/catalog/database.ts';

/** Tables that grow with the images: reading one of them whole is what the catalog must never do on a request. */
const BIG_TABLES = new Set(['image', 'prediction', 'label', 'log_acknowledgement']);

/**
 * Keeps every statement that runs through it, unchanged. A subquery built on the same connection goes through
 * `transformQuery` too, when its parent is built, but only a statement that runs has a result.
 */
class StatementRecorder implements KyselyPlugin {
  private readonly built = new Map<string, RootOperationNode>();
  readonly statements: RootOperationNode[] = [];

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.built.set(queryId.queryId, node);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const node = this.built.get(queryId.queryId);
    if (node) this.statements.push(node);
    return result;
  }
}

/** The statements `call` runs on repositories bound to `db`, compiled for its engine. */
export async function statementsOf(
  db: Kysely<Database>,
  engine: SqlEngine,
  call: (repositories: Repositories) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const recorder = new StatementRecorder();
  const recorded = db.withPlugin(recorder);
  await call(new Repositories(recorded, engine));
  return recorder.statements.map((node) => recorded.getExecutor().compileQuery(node, createQueryId()));
}

/** What a plan reads a big table with when it reads it whole, if it does; the plan's text either way. */
interface PlanVerdict {
  fullScans: string[];
  plan: string;
}

async function sqlitePlan(db: Kysely<Database>, statement: CompiledQuery): Promise<PlanVerdict> {
  const { rows } = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
  );
  // Kysely quotes every identifier, so `"table" as "alias"` names what a plan line's alias stands for.
  const aliases = new Map(
    [...statement.sql.matchAll(/"(\w+)" as "(\w+)"/g)].map(([, table, alias]) => [alias!, table!]),
  );
  const fullScans = rows
    .map(({ detail }) => detail)
    // SEARCH reads a range of an index; SCAN reads a table or an index from end to end.
    .filter((detail) => {
      const scanned = /^SCAN (?:TABLE )?(\w+)/.exec(detail)?.[1];
      return scanned !== undefined && BIG_TABLES.has(aliases.get(scanned) ?? scanned);
    });
  return { fullScans, plan: rows.map(({ detail }) => detail).join('\n') };
}

interface PostgresPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PostgresPlanNode[];
}

/** Each index's first column: a condition on a later one alone still reads the whole index. */
async function leadingColumns(db: Kysely<Database>): Promise<Map<string, string>> {
  const { rows } = await sql<{ index: string; column: string }>`
    select index_class.relname as index, attribute.attname as column
    from pg_index
    join pg_class index_class on index_class.oid = pg_index.indexrelid
    join pg_attribute attribute on attribute.attrelid = pg_index.indrelid and attribute.attnum = pg_index.indkey[0]
    where index_class.relnamespace = current_schema()::regnamespace`.execute(db);
  return new Map(rows.map((row) => [row.index, row.column]));
}

async function postgresPlan(db: Kysely<Database>, statement: CompiledQuery): Promise<PlanVerdict> {
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PostgresPlanNode }> }>(
    CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]),
  );
  const leading = await leadingColumns(db);
  const fullScans: string[] = [];
  const lines: string[] = [];
  const visit = (node: PostgresPlanNode, depth: number) => {
    const table = node['Relation Name'];
    const index = node['Index Name'];
    const scan = `${node['Node Type']}${table ? ` on ${table}` : ''}${index ? ` using ${index}` : ''}`;
    const condition = node['Index Cond'] ?? node.Filter;
    lines.push(`${'  '.repeat(depth)}${scan}${condition ? ` (${condition})` : ''}`);
    // An index scan reads the whole index unless its condition holds the index's first column.
    const first = index === undefined ? undefined : leading.get(index);
    const whole =
      node['Node Type'] === 'Seq Scan' ||
      (/Index (Only )?Scan/.test(node['Node Type']) &&
        (first === undefined || !new RegExp(`\\b${first}\\b`).test(node['Index Cond'] ?? '')));
    if (table !== undefined && BIG_TABLES.has(table) && whole) fullScans.push(scan);
    node.Plans?.forEach((child) => visit(child, depth + 1));
  };
  visit(rows[0]!['QUERY PLAN'][0]!.Plan, 0);
  return { fullScans, plan: lines.join('\n') };
}

/**
 * Explains each statement of `call` and throws, naming the query, when a plan reads a big table whole; returns how
 * many statements it checked.
 */
export async function assertIndexed(
  db: Kysely<Database>,
  engine: SqlEngine,
  query: string,
  call: (repositories: Repositories) => Promise<unknown>,
): Promise<number> {
  const statements = await statementsOf(db, engine, call);
  for (const statement of statements) {
    const { fullScans, plan } = await (engine === 'postgres' ? postgresPlan : sqlitePlan)(db, statement);
    if (fullScans.length > 0) {
      throw new Error(
        `query "${query}" reads a big table whole (${fullScans.join('; ')}):\n${statement.sql}\nplan:\n${plan}`,
      );
    }
  }
  return statements.length;
}
