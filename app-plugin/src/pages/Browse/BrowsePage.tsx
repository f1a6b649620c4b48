import React, { useEffect } from 'react';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, InlineField, LoadingPlaceholder, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { RunPlots } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { DeploymentPicker, useDeploymentParam } from '../../components/DeploymentPicker/DeploymentPicker';
import { useCatalog } from '../../hooks/useCatalog';
import { useRequest, type Requested } from '../../hooks/useRequest';
import { useSearchParams } from '../../hooks/useSearchParams';
import { testIds } from '../../testIds';
import { RunPlotsGrid } from './RunPlotsGrid';

const RUNS = 500;
const runParam = (text?: string) => (text && /^\d+$/.test(text) ? Number(text) : undefined);

/** Whether a key press belongs to a field being typed in, not to the page's shortcuts. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/**
 * One run's plots (the latest of each plot type) with their verdicts and each plot type's reference, or two runs
 * side by side (?run=&compare=). `[` and `]` step to the previous and next run.
 */
export function BrowsePage() {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const [params, set] = useSearchParams();
  const [deployment] = useDeploymentParam(catalog.deployments);
  const runs = useRequest(deployment, () => client.runs(deployment!, RUNS));
  const run = runParam(params.get('run') ?? undefined) ?? runs.data?.items[0]?.number;
  const compare = runParam(params.get('compare') ?? undefined);
  const focus = params.get('plotType') ?? undefined;

  const plotsOf = (number?: number) => () => client.runPlots(deployment!, number!);
  const first = useRequest(deployment && run !== undefined ? `${deployment}/${run}` : undefined, plotsOf(run));
  const second = useRequest(
    deployment && compare !== undefined ? `${deployment}/${compare}` : undefined,
    plotsOf(compare)
  );

  // [ and ]: the previous (older) and next (newer) run of the list.
  const numbers = runs.data?.items.map((r) => r.number) ?? [];
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || (event.key !== '[' && event.key !== ']') || run === undefined) {
        return;
      }
      const index = numbers.indexOf(run);
      const next = numbers[event.key === '[' ? index + 1 : index - 1];
      if (index >= 0 && next !== undefined) {
        set({ run: next, plotType: undefined });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const options: Array<SelectableValue<number>> = numbers.map((n) => ({ label: String(n), value: n }));
  const columns = [
    { run, request: first },
    { run: compare, request: second },
  ].filter((c): c is { run: number; request: Requested<RunPlots> } => c.run !== undefined);

  let body: React.ReactNode;
  const error = catalog.error ?? runs.error;
  if (error) {
    body = (
      <Alert title="Cannot load the runs" data-testid={testIds.browse.error}>
        {error}
      </Alert>
    );
  } else if (catalog.deployments?.length === 0 || runs.data?.items.length === 0) {
    body = (
      <Alert severity="info" title="No runs" data-testid={testIds.browse.pick}>
        {deployment
          ? `${deployment} has no runs yet: plots uploaded with a run number appear here.`
          : 'The inference server has no deployment yet (`hydra demo` makes a simulated one).'}
      </Alert>
    );
  } else if (!catalog.plotTypes || columns.length === 0 || columns.every((c) => !c.request.data && !c.request.error)) {
    body = <LoadingPlaceholder text="Loading the run’s plots…" />;
  } else {
    body = (
      <>
        {columns.map(({ run: number, request }) =>
          request.failure?.kind === 'not_found' ? (
            <Alert key={number} severity="info" title="No images" data-testid={testIds.browse.empty}>
              Run {number} has no images in deployment {deployment}.
            </Alert>
          ) : request.error ? (
            <Alert key={number} title={`Cannot load run ${number}`} data-testid={testIds.browse.error}>
              {request.error}
            </Alert>
          ) : null
        )}
        <RunPlotsGrid
          apiUrl={client.apiUrl}
          runs={columns.filter((c) => !c.request.error).map((c) => ({ run: c.run, plots: c.request.data }))}
          plotTypes={catalog.plotTypes}
          focus={focus}
        />
      </>
    );
  }

  return (
    <PluginPage>
      <div className={styles.page}>
        <div className={styles.bar}>
          <DeploymentPicker
            data-testid={testIds.browse.deployment}
            deployments={catalog.deployments}
            value={deployment}
            onChange={(name) => set({ deployment: name, run: undefined, compare: undefined, plotType: undefined })}
          />
          <InlineField label="Run" tooltip="[ and ] step to the previous and next run">
            <Select
              data-testid={testIds.browse.run}
              aria-label="Run"
              width={16}
              allowCustomValue
              options={options}
              value={run ?? null}
              onChange={(option) => set({ run: runParam(String(option.value)), plotType: undefined })}
            />
          </InlineField>
          <InlineField label="Compare with" tooltip="A second run, side by side">
            <Select
              data-testid={testIds.browse.compare}
              aria-label="Compare with"
              width={16}
              isClearable
              allowCustomValue
              placeholder="none"
              options={options.filter((o) => o.value !== run)}
              value={compare ?? null}
              onChange={(option) => set({ compare: option ? runParam(String(option.value)) : undefined })}
            />
          </InlineField>
        </div>
        {body}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1) }),
});
