// `?page=library-evaluation&plotTypeId=&versionId=` mounts one version's evaluation, `&a=&b=` instead compares two:
// the Library page that renders them is built on another branch, and these views are tested on their own.
import React from 'react';
import { useApp } from '../../src/components/App/AppContext';
import { VersionComparison, VersionEvaluation } from '../../src/pages/Library/evaluation';

export const LIBRARY_EVALUATION_PAGE = 'library-evaluation';

export function LibraryEvaluationHarness({ params }: { params: URLSearchParams }) {
  const { can } = useApp();
  const plotTypeId = Number(params.get('plotTypeId'));
  if (params.has('a')) {
    return <VersionComparison plotTypeId={plotTypeId} a={Number(params.get('a'))} b={Number(params.get('b'))} />;
  }
  return (
    <VersionEvaluation plotTypeId={plotTypeId} versionId={Number(params.get('versionId'))} canEdit={can('expert')} />
  );
}
