import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert } from '@grafana/ui';

/** Placeholder until the model Library is built (issue work in progress on its own branch). */
export function LibraryPage() {
  return (
    <PluginPage>
      <Alert severity="info" title="Not built yet">
        This page is being built.
      </Alert>
    </PluginPage>
  );
}
