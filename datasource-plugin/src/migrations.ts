import { DEFAULT_LIMIT, QUERY_SCHEMA_VERSION } from './constants';
import type { HydraQuery, QueryType } from './types';

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
