import { DEFAULT_LIMIT, QUERY_SCHEMA_VERSION } from './constants';
import type { HydraQuery, HydraVariableKind, HydraVariableTarget, QueryType, StoredVariableQuery } from './types';

const QUERY_TYPES: QueryType[] = ['plots', 'history', 'predictions', 'log', 'runs', 'models', 'verdictChanges'];

/** A saved query as it may be stored: from any schema version, or hand-written in provisioning. */
export type StoredQuery = Partial<HydraQuery> & { refId: string };

/**
 * Brings a stored query to the current schema (QUERY_SCHEMA_VERSION). Version 1 is the first; a query with
 * no version is treated as version 1 written by hand: missing fields get defaults, unknown types become plots.
 */
export function migrateQuery(query: StoredQuery, defaultDeployment = ''): HydraQuery {
  const queryType = QUERY_TYPES.includes(query.queryType as QueryType) ? (query.queryType as QueryType) : 'plots';
  return {
    ...query,
    schemaVersion: QUERY_SCHEMA_VERSION,
    queryType,
    deployment: typeof query.deployment === 'string' && query.deployment ? query.deployment : defaultDeployment,
    limit: typeof query.limit === 'number' && query.limit > 0 ? query.limit : DEFAULT_LIMIT,
  };
}

const VARIABLE_KINDS: HydraVariableKind[] = ['deployments', 'groups', 'plotTypes'];

/** The refId of a variable query saved without one (the legacy text form has none). */
export const VARIABLE_REF_ID = 'HydraVariable';

/** The text form variables were saved in before the editor: `deployments`, `groups(demo)`, `plotTypes(demo, CDC)`. */
function parseVariableText(text: string): Exclude<StoredVariableQuery, string> {
  const match = text.trim().match(/^(deployments|groups|plotTypes)\s*(?:\(\s*([^,)]*?)\s*(?:,\s*([^)]*?)\s*)?\))?$/);
  return match ? { kind: match[1], deployment: match[2], group: match[3] } : {};
}

/**
 * Brings a saved variable query to the typed form: Grafana hands old dashboards' text queries to the editor and
 * the variable support as they are. Unknown text or kinds list deployments; the refId is kept.
 */
export function migrateVariableQuery(stored: StoredVariableQuery | null | undefined): HydraVariableTarget {
  const fields = typeof stored === 'string' ? parseVariableText(stored) : (stored ?? {});
  const refId = fields.refId || VARIABLE_REF_ID;
  const kind = VARIABLE_KINDS.includes(fields.kind as HydraVariableKind)
    ? (fields.kind as HydraVariableKind)
    : 'deployments';
  const deployment = fields.deployment ?? '';
  if (kind === 'deployments') {
    return { refId, kind };
  }
  if (kind === 'groups') {
    return { refId, kind, deployment };
  }
  return fields.group ? { refId, kind, deployment, group: fields.group } : { refId, kind, deployment };
}
