import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert } from '@grafana/ui';

/** Placeholder until the Status page is built (issue work in progress on its own branch). */
export function StatusPage() {
  return (
    <PluginPage>
      <Alert severity="info" title="Not built yet">
        This page is being built.
      </Alert>
    </PluginPage>
  );
}
