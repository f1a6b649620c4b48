import React, { useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { useApp } from '../../components/App/AppContext';
import { DeploymentPicker, useDeploymentParam } from '../../components/DeploymentPicker/DeploymentPicker';
import { RunRange } from '../../components/RunRange/RunRange';
import { useCatalog } from '../../hooks/useCatalog';
import { useRequest } from '../../hooks/useRequest';
import { testIds } from '../../testIds';
import { RunsTable } from './RunsTable';

const LIMIT = 50;
/** Runs take data while the page is open: their cells are asked again this often. */
const REFRESH_MS = 15_000;
const runNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : undefined);

/**
 * Runs × plot types for a deployment, newest run first: each cell the worst latest verdict in its severity's colour,
 * each run its Bad plots, when the first turned Bad and how many verdicts were overridden. A cell opens the run's
 * plots in Browse.
 */
export function RunsPage() {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const [deployment, setDeployment] = useDeploymentParam(catalog.deployments);
  const [range, setRange] = useState({ from: '', to: '' });
  const filter = { fromRun: runNumber(range.from), toRun: runNumber(range.to), limit: LIMIT };
  const summary = useRequest(
    deployment && JSON.stringify([deployment, filter]),
    () => client.runsSummary(deployment!, filter),
    REFRESH_MS
  );
  const filtered = range.from !== '' || range.to !== '';

  let body: React.ReactNode;
  const error = catalog.error ?? summary.error;
  if (error) {
    body = (
      <Alert title="Cannot load the runs" data-testid={testIds.runs.error}>
        {error}
      </Alert>
    );
  } else if (catalog.deployments?.length === 0) {
    body = (
      <Alert severity="info" title="No deployments yet" data-testid={testIds.runs.empty}>
        The inference server has no deployment. Register one and its plot types (`hydra demo` makes a simulated one),
        then upload plots with a run number.
      </Alert>
    );
  } else if (!summary.data) {
    body = <LoadingPlaceholder text="Loading the runs…" />;
  } else if (summary.data.runs.length === 0) {
    body = (
      <Alert severity="info" title="No runs" data-testid={testIds.runs.empty}>
        {filtered
          ? `No run of ${deployment} in this range.`
          : `${deployment} has no runs yet: plots uploaded with a run number appear here.`}
      </Alert>
    );
  } else {
    body = (
      <>
        <span className={styles.secondary}>
          {summary.data.runs.length === LIMIT ? `The newest ${LIMIT} runs` : `${summary.data.runs.length} runs`}
          {filtered ? ' in this range' : ''}. A cell is the worst latest verdict of the plot type in that run; open it
          to see the run’s plots.
        </span>
        <RunsTable summary={summary.data} />
      </>
    );
  }

  return (
    <PluginPage>
      <div className={styles.page}>
        <div className={styles.bar}>
          <DeploymentPicker
            data-testid={testIds.runs.deployment}
            deployments={catalog.deployments}
            value={deployment}
            onChange={setDeployment}
          />
          <RunRange
            label="Runs"
            emptyMeans="the newest runs"
            testIds={{ from: testIds.runs.runFrom, to: testIds.runs.runTo }}
            width={12}
            from={range.from}
            to={range.to}
            onChange={setRange}
          />
        </div>
        {body}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1) }),
  secondary: css({ color: theme.colors.text.secondary }),
});
