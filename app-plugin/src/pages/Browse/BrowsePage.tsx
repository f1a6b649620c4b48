import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert } from '@grafana/ui';

/** Placeholder until the Browse view is built (issue work in progress on its own branch). */
export function BrowsePage() {
  return (
    <PluginPage>
      <Alert severity="info" title="Not built yet">
        This page is being built.
      </Alert>
    </PluginPage>
  );
}
