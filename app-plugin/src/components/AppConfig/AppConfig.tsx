import React, { useState, type ChangeEvent } from 'react';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, HydraAppClient, apiUrlOf, appProxyBase } from '@hydra/plugin-kit/client';
import { PLUGIN_ID } from '../../constants';
import { testIds } from '../../testIds';
import type { AppSettings } from '../../types';

type Props = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

interface Outcome {
  ok: boolean;
  message: string;
}

/**
 * The server URL (jsonData) and the API token (secureJsonData, never sent back), saved to Grafana's plugin settings;
 * then the proxy route is tried with GET /me, which says who the token is.
 */
export function AppConfig({ plugin }: Props) {
  const styles = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [url, setUrl] = useState(jsonData?.url ?? '');
  const [apiToken, setApiToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.apiToken));
  const [outcome, setOutcome] = useState<Outcome>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setOutcome(undefined);
    try {
      await getBackendSrv().post(`/api/plugins/${PLUGIN_ID}/settings`, {
        enabled: enabled ?? true,
        pinned: pinned ?? true,
        jsonData: { ...jsonData, url },
        ...(apiToken ? { secureJsonData: { apiToken } } : tokenSet ? {} : { secureJsonData: { apiToken: '' } }),
      });
      const me = await new HydraAppClient(apiUrlOf(appProxyBase(PLUGIN_ID))).me();
      const who = me.token.grafanaProxy
        ? `it records each Grafana user${me.grafanaUser === null ? ', once Grafana sends the user header (send_user_header)' : ` (you: ${me.grafanaUser})`}`
        : 'every user of the app acts as it';
      setOutcome({
        ok: true,
        message: `Saved. The app reaches the server with the token “${me.token.name}” (role ${me.role}); ${who}.`,
      });
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error, url || 'the inference server') });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={styles.form}>
      <Field
        label="Inference server URL"
        description="Where Grafana's server reaches `hydra serve`, e.g. http://hydra:8080. The app's requests go through Grafana's plugin proxy."
        required
      >
        <Input
          data-testid={testIds.config.url}
          value={url}
          placeholder="http://localhost:8080"
          width={60}
          onChange={(event: ChangeEvent<HTMLInputElement>) => setUrl(event.target.value)}
        />
      </Field>
      <Field
        label="API token"
        description="From `hydra token create --role labeler --grafana-proxy` (admin to post news): with Grafana's send_user_header on, labels and undo carry each user's login; without --grafana-proxy every user acts as the token. Stored encrypted; the browser never sees it."
      >
        <SecretInput
          data-testid={testIds.config.apiToken}
          isConfigured={tokenSet}
          value={apiToken}
          placeholder="hydra_…"
          width={60}
          onReset={() => {
            setTokenSet(false);
            setApiToken('');
          }}
          onChange={(event: ChangeEvent<HTMLInputElement>) => setApiToken(event.target.value)}
        />
      </Field>
      <div>
        <Button data-testid={testIds.config.save} disabled={!url || saving} onClick={save}>
          {saving ? 'Saving…' : 'Save and test'}
        </Button>
      </div>
      {outcome && (
        <Alert
          data-testid={testIds.config.status}
          severity={outcome.ok ? 'success' : 'error'}
          title={outcome.ok ? 'Connected' : 'Not connected'}
        >
          {outcome.message}
        </Alert>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), maxWidth: theme.spacing(90) }),
});
