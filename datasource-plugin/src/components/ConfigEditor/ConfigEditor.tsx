import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import { Field, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { testIds } from '../../testIds';
import type { HydraOptions, HydraSecureOptions } from '../../types';

type Props = DataSourcePluginOptionsEditorProps<HydraOptions, HydraSecureOptions>;

/** The server URL and default deployment (jsonData), and the API token (secureJsonData, never sent back). */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = options.secureJsonData ?? {};

  const setJson = (key: keyof HydraOptions) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: event.target.value } });

  return (
    <div className={styles.editor}>
      <Field
        label="Inference server URL"
        description="Where Grafana's server reaches `hydra serve`, e.g. http://hydra:8080. Requests go through Grafana's proxy."
        required
      >
        <Input
          data-testid={testIds.configEditor.url}
          value={jsonData.url ?? ''}
          placeholder="http://localhost:8080"
          onChange={setJson('url')}
          width={60}
        />
      </Field>
      <Field
        label="API token"
        description="From `hydra token create --role labeler` (expert to set references). Stored encrypted; the browser never sees it."
      >
        <SecretInput
          data-testid={testIds.configEditor.apiToken}
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData.apiToken ?? ''}
          placeholder="hydra_…"
          width={60}
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, apiToken: false },
              secureJsonData: { ...secureJsonData, apiToken: '' },
            })
          }
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.target.value } })
          }
        />
      </Field>
      <Field label="Default deployment" description="Preselected in new queries, e.g. halld.">
        <Input
          data-testid={testIds.configEditor.defaultDeployment}
          value={jsonData.defaultDeployment ?? ''}
          onChange={setJson('defaultDeployment')}
          width={30}
        />
      </Field>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  editor: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), maxWidth: theme.spacing(90) }),
});
