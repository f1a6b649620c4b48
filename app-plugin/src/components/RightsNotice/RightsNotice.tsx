import React from 'react';
import { Alert } from '@grafana/ui';
import type { Right } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';
import { useApp } from '../App/AppContext';

const ROLE_FOR: Record<Right, string> = {
  read: 'viewer',
  ingest: 'ingest',
  label: 'labeler',
  expert: 'expert',
  admin: 'admin',
};

/**
 * Says why actions are missing: the app's server token lacks `right`. Renders nothing when it has it, and the
 * reason /me failed when it cannot tell.
 */
export function RightsNotice({ right, actions }: { right: Right; actions: string }) {
  const { me, meError, can } = useApp();
  if (meError) {
    return (
      <Alert data-testid={testIds.rights} severity="error" title="Cannot tell what you may do">
        {meError}
      </Alert>
    );
  }
  if (!me || can(right)) {
    return null;
  }
  return (
    <Alert
      data-testid={testIds.rights}
      severity="info"
      title={`Read only: ${actions} need the ${ROLE_FOR[right]} role`}
    >
      The app reaches the inference server with the token “{me.token.name}”, whose role is {me.role}. An admin can give
      the app a token with the {ROLE_FOR[right]} role (`hydra token create --role {ROLE_FOR[right]}`) on the app&apos;s
      configuration page.
    </Alert>
  );
}
