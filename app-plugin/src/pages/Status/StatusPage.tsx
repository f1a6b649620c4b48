import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { config, PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { useApp } from '../../components/App/AppContext';
import { DeploymentPicker, useDeploymentParam } from '../../components/DeploymentPicker/DeploymentPicker';
import { useCatalog } from '../../hooks/useCatalog';
import { useRequest } from '../../hooks/useRequest';
import { testIds } from '../../testIds';
import { ImagesCalendar } from './ImagesCalendar';
import { StatusFigures } from './StatusFigures';
import { StatusHistoryCharts } from './StatusHistoryCharts';

/** How often the page asks again: the live figures, the samples (the server takes one every 10 s), the calendar. */
export const REFRESH_MS = { status: 3_000, history: 5_000, trainingJobs: 5_000, calendar: 60_000 };
const HISTORY_MINUTES = 60;
const CALENDAR_DAYS = 182;

/** Whether Grafana's user is an admin of the organisation (or of Grafana): plugin.json lists Status for Admin. */
const isAdmin = () => config.bootData.user?.orgRole === 'Admin' || Boolean(config.bootData.user?.isGrafanaAdmin);

/**
 * For admins: whether the inference server keeps up. Backend, workers, queue, throughput and latency, InfluxDB,
 * EPICS, the image store and training jobs, refreshed every few seconds; the last hour's samples as lines; the
 * images per day as a calendar.
 */
export function StatusPage() {
  return <PluginPage>{isAdmin() ? <StatusBody /> : <Forbidden />}</PluginPage>;
}

function Forbidden() {
  return (
    <Alert severity="info" title="For admins" data-testid={testIds.status.forbidden}>
      The Status page shows the inference server&apos;s health, for Grafana admins. Ask an admin of this organisation
      for the Admin role, or read the Status dashboard.
    </Alert>
  );
}

function StatusBody() {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const catalog = useCatalog(client);
  const [deployment, setDeployment] = useDeploymentParam(catalog.deployments);
  const status = useRequest('status', () => client.status(), REFRESH_MS.status);
  const history = useRequest('history', () => client.statusHistory(HISTORY_MINUTES), REFRESH_MS.history);
  const jobs = useRequest('jobs', () => client.trainingJobs(), REFRESH_MS.trainingJobs);
  const calendar = useRequest(deployment, () => client.imagesPerDay(deployment!, CALENDAR_DAYS), REFRESH_MS.calendar);
  const running = jobs.data?.items.filter((job) => job.status === 'running' || job.status === 'queued');

  if (!status.data) {
    return status.error ? (
      <Alert title="Cannot reach the inference server" data-testid={testIds.status.error}>
        {status.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text="Asking the inference server how it is…" />
    );
  }
  return (
    <div className={styles.page}>
      {status.error && (
        <Alert
          severity="warning"
          title="The latest refresh failed; these figures are older"
          data-testid={testIds.status.error}
        >
          {status.error}
        </Alert>
      )}
      <StatusFigures status={status.data} />

      <section>
        <h3>The last hour</h3>
        {history.data ? (
          <StatusHistoryCharts history={history.data} />
        ) : (
          <p>{history.error ?? 'Loading the samples…'}</p>
        )}
      </section>

      <section data-testid={testIds.status.figure('training')}>
        <h3>Training jobs</h3>
        {!running ? (
          <p>{jobs.error ?? 'Loading the training jobs…'}</p>
        ) : running.length === 0 ? (
          <p className={styles.secondary}>No training job is running or queued.</p>
        ) : (
          <ul>
            {running.map((job) => (
              <li key={job.id}>
                {job.plotType} ({job.deployment}): {job.architecture}, {job.status}
                {job.progress &&
                  `, epoch ${job.progress.epoch} of ${job.progress.epochs}, accuracy ${job.progress.accuracy.toFixed(2)}, about ${Math.round(job.progress.etaSeconds)} s left`}
                , by {job.createdBy} at {dateTimeFormat(job.startedAt ?? job.createdAt)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <div className={styles.heading}>
          <h3>Images per day</h3>
          <DeploymentPicker deployments={catalog.deployments} value={deployment} onChange={setDeployment} />
        </div>
        {calendar.data ? (
          <ImagesCalendar days={calendar.data.days} />
        ) : catalog.deployments?.length === 0 ? (
          <p className={styles.secondary}>No deployment yet: the calendar counts a deployment&apos;s images.</p>
        ) : (
          <p>{calendar.error ?? catalog.error ?? 'Loading the calendar…'}</p>
        )}
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  heading: css({ display: 'flex', alignItems: 'baseline', gap: theme.spacing(2) }),
  secondary: css({ color: theme.colors.text.secondary }),
});
