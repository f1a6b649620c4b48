import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { testIds } from '../../testIds';
import { useApp } from '../App/AppContext';

/**
 * Whose name labels, undo, acknowledgements and news carry: the Grafana user, when the app's token is a Grafana proxy
 * token and Grafana names the user; else the token's, which every user of the app then shares.
 */
export function ActingAs() {
  const styles = useStyles2(getStyles);
  const { me } = useApp();
  if (!me) {
    return null;
  }
  if (me.grafanaUser !== null) {
    return (
      <span data-testid={testIds.actingAs} className={styles.line}>
        You act as {me.grafanaUser}, through the app&apos;s token “{me.token.name}” (role {me.role}).
      </span>
    );
  }
  if (me.token.grafanaProxy) {
    return (
      <Alert data-testid={testIds.actingAs} severity="warning" title={`Recorded as “${me.token.name}”, not as you`}>
        The app&apos;s token speaks for Grafana users, but Grafana did not say who you are. An admin turns that on with{' '}
        <code>send_user_header = true</code> under <code>[dataproxy]</code> in grafana.ini
        (GF_DATAPROXY_SEND_USER_HEADER=true).
      </Alert>
    );
  }
  return (
    <span data-testid={testIds.actingAs} className={styles.line}>
      Every user of this app acts as the token “{me.token.name}”: labels, undo and the leaderboard carry its name. A
      token made with <code>hydra token create --grafana-proxy</code> records each Grafana user instead.
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  line: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
