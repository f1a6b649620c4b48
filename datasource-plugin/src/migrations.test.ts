import { describe, expect, it } from 'vitest';
import { QUERY_SCHEMA_VERSION } from './constants';
import { migrateQuery } from './migrations';

describe('migrateQuery', () => {
  it('gives a hand-written query without a version the defaults of version 1', () => {
    expect(migrateQuery({ refId: 'A' }, 'halld')).toEqual({
      refId: 'A',
      schemaVersion: QUERY_SCHEMA_VERSION,
      queryType: 'plots',
      deployment: 'halld',
      limit: 500,
    });
  });

  it('keeps what a current query says, and replaces an unknown query type', () => {
    const query = {
      refId: 'B',
      schemaVersion: 1,
      queryType: 'log' as const,
      deployment: 'demo',
      limit: 20,
      plotType: 'CDC',
    };
    expect(migrateQuery(query)).toEqual(query);
    expect(migrateQuery({ refId: 'C', queryType: 'gone' as never }).queryType).toBe('plots');
  });
});
