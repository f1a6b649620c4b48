import React, { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, type IncidentReport } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { queryParam, useCatalog } from '../../hooks/useCatalog';
import { testIds } from '../../testIds';
import { DetectorTable } from './DetectorTable';
import { formatDuration, formatHours } from './durations';
import { defaultIncidentFilters, IncidentFilters, toIncidentQuery, type IncidentFilterState } from './IncidentFilters';
import { IncidentList } from './IncidentList';
import { IncidentTimeline } from './IncidentTimeline';
import { useIncidentKeys } from './useIncidentKeys';

/**
 * How much earlier the monitor knew than the shift crew: a deployment's incidents of a period, each matched to the
 * first logbook entry that names it, the lead times per detector, the incidents nobody wrote about, one incident's
 * timeline and the CSV.
 */
export function IncidentsPage() {
  const styles = useStyles2(getStyles);
  const { client, can, me } = useApp();
  const catalog = useCatalog(client);
  const location = useLocation();
  // ?deploymentId= links to one deployment's report.
  const [filters, setFilters] = useState<IncidentFilterState>(() => ({
    ...defaultIncidentFilters(),
    deploymentId: Number(queryParam(location.search, 'deploymentId')) || undefined,
  }));
  const deploymentId = filters.deploymentId ?? catalog.deployments?.[0]?.id;
  const query = useMemo(
    () => (deploymentId === undefined ? undefined : toIncidentQuery(filters, deploymentId)),
    [filters, deploymentId]
  );
  const key = query ? JSON.stringify(query) : '';
  const [result, setResult] = useState<{ key: string; report?: IncidentReport; error?: string }>();
  const [selected, setSelected] = useState<number>();

  useEffect(() => {
    if (!query) {
      return;
    }
    let current = true;
    client.incidentReport(query).then(
      (report) => current && setResult({ key, report }),
      (error) => current && setResult({ key, error: describeError(error) })
    );
    setSelected(undefined);
    return () => {
      current = false;
    };
  }, [client, query, key]);

  const current = result && result.key === key ? result : undefined;
  const report = current?.report;
  useIncidentKeys(report?.incidents ?? [], selected, setSelected);

  let body: React.ReactNode;
  if (me && !can('read')) {
    body = (
      <Alert severity="info" title="The report needs the viewer role" data-testid={testIds.rights}>
        The app&apos;s token “{me.token.name}” has the role {me.role}, which cannot read the catalog.
      </Alert>
    );
  } else if (catalog.error || current?.error) {
    body = (
      <Alert title="Cannot load the incident report" data-testid={testIds.incidents.error}>
        {catalog.error ?? current?.error}
      </Alert>
    );
  } else if (catalog.deployments?.length === 0) {
    body = (
      <Alert severity="info" title="No deployment yet" data-testid={testIds.incidents.noDeployment}>
        Register a deployment and send it plots; the report compares the monitor&apos;s flags with its logbook.
      </Alert>
    );
  } else if (!report) {
    body = <LoadingPlaceholder text="Loading the incident report…" />;
  } else if (report.incidents.length === 0) {
    body = (
      <Alert severity="success" title="No incident in this period" data-testid={testIds.incidents.empty}>
        The monitor confirmed no non-Good verdict and received no alert for {report.deployment} in this period.
      </Alert>
    );
  } else {
    const unmatched = report.incidents.filter((incident) => !incident.logbook);
    body = (
      <>
        <p className={styles.summary} data-testid={testIds.incidents.summary}>
          {report.totals.incidents} incident{report.totals.incidents === 1 ? '' : 's'}, {report.totals.matched} in the
          logbook, {report.totals.unmatched} nobody wrote about. Median lead{' '}
          {formatDuration(report.totals.medianLeadSeconds)}, worst {formatDuration(report.totals.worstLeadSeconds)}:{' '}
          <strong>{formatHours(report.totals.beamOnLeadSeconds)}</strong> a human would have waited with beam.
        </p>
        {!report.beamKnown && (
          <Alert severity="info" title="No beam signal" data-testid={testIds.incidents.beam}>
            No verdict of this period read the beam current (EPICS is off), so all the time counts as beam time.
          </Alert>
        )}
        <DetectorTable report={report} />
        {selected !== undefined && query && (
          <IncidentTimeline incidentKey={selected} query={query} onClose={() => setSelected(undefined)} />
        )}
        <h3>Incidents</h3>
        <p className={styles.secondary}>Click an incident, or move with j and k, to see its timeline; Esc closes it.</p>
        <IncidentList
          incidents={report.incidents}
          selected={selected}
          onSelect={setSelected}
          data-testid={testIds.incidents.list}
        />
        <h3>Nobody wrote about these</h3>
        {unmatched.length === 0 ? (
          <p className={styles.secondary} data-testid={testIds.incidents.unmatched}>
            Every incident has a logbook entry within {report.windowHours} h.
          </p>
        ) : (
          <IncidentList
            incidents={unmatched}
            selected={selected}
            onSelect={setSelected}
            data-testid={testIds.incidents.unmatched}
          />
        )}
      </>
    );
  }

  return (
    <PluginPage>
      <div className={styles.page}>
        <IncidentFilters value={filters} deployments={catalog.deployments ?? []} onChange={setFilters} />
        <div className={styles.bar}>
          <span className={styles.secondary}>
            The logbook is imported with <code>hydra logbook import FILE</code> or POST /api/v1/logbook.
          </span>
          {query && (
            <LinkButton
              data-testid={testIds.incidents.csv}
              size="sm"
              variant="secondary"
              icon="download-alt"
              href={client.incidentReportCsvUrl(query)}
              download="hydra-incidents.csv"
            >
              Export CSV
            </LinkButton>
          )}
        </div>
        {body}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: theme.spacing(2) }),
  summary: css({ fontSize: theme.typography.h5.fontSize, margin: 0 }),
  secondary: css({ color: theme.colors.text.secondary, margin: 0 }),
});
