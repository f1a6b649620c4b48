import { describe, expect, it } from 'vitest';
import { QUERY_SCHEMA_VERSION } from './constants';
import { migrateQuery, migrateVariableQuery, VARIABLE_REF_ID } from './migrations';

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

describe('migrateVariableQuery', () => {
  const refId = VARIABLE_REF_ID;

  it('turns the text form saved before the editor into the typed query', () => {
    expect(migrateVariableQuery('deployments')).toEqual({ refId, kind: 'deployments' });
    expect(migrateVariableQuery('groups($deployment)')).toEqual({ refId, kind: 'groups', deployment: '$deployment' });
    expect(migrateVariableQuery(' plotTypes( demo ,  CDC ) ')).toEqual({
      refId,
      kind: 'plotTypes',
      deployment: 'demo',
      group: 'CDC',
    });
    expect(migrateVariableQuery('plotTypes(demo)')).toEqual({ refId, kind: 'plotTypes', deployment: 'demo' });
    // No deployment: the data source's default at query time.
    expect(migrateVariableQuery('groups')).toEqual({ refId, kind: 'groups', deployment: '' });
  });

  it('lists deployments for text it cannot read, and for a new variable', () => {
    expect(migrateVariableQuery('label_values(up)')).toEqual({ refId, kind: 'deployments' });
    expect(migrateVariableQuery('')).toEqual({ refId, kind: 'deployments' });
    expect(migrateVariableQuery(undefined)).toEqual({ refId, kind: 'deployments' });
    expect(migrateVariableQuery({ refId: 'A' })).toEqual({ refId: 'A', kind: 'deployments' });
  });

  it('keeps a typed query and its refId, dropping fields its kind does not use', () => {
    const typed = { refId: 'A', kind: 'plotTypes', deployment: '$deployment', group: '$group' };
    expect(migrateVariableQuery(typed)).toEqual(typed);
    expect(migrateVariableQuery({ refId: 'A', kind: 'deployments', deployment: 'demo' })).toEqual({
      refId: 'A',
      kind: 'deployments',
    });
    expect(migrateVariableQuery({ refId: 'A', kind: 'groups', deployment: 'demo', group: 'CDC' })).toEqual({
      refId: 'A',
      kind: 'groups',
      deployment: 'demo',
    });
    expect(migrateVariableQuery({ refId: 'A', kind: 'plotTypes', group: '' })).toEqual({
      refId: 'A',
      kind: 'plotTypes',
      deployment: '',
    });
  });
});
