import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, type LogEntry } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { ActingAs } from '../../components/ActingAs/ActingAs';
import { RightsNotice } from '../../components/RightsNotice/RightsNotice';
import { labelerLink } from '../../constants';
import { useCatalog } from '../../hooks/useCatalog';
import { testIds } from '../../testIds';
import { AcknowledgeModal } from './AcknowledgeModal';
import { DEFAULT_LOG_FILTERS, LogFilters, toLogQuery, type LogFilterState } from './LogFilters';

const PAGE = 100;

interface Rows {
  key: string;
  items?: LogEntry[];
  total?: number;
  error?: string;
}

/**
 * The Monitoring Log: non-Good verdicts (the last 24 h unless told otherwise), newest first, for run coordination
 * meetings; each links to the image's viewer, can be acknowledged with a comment, and the filtered rows export as CSV.
 */
export function LogPage() {
  const styles = useStyles2(getStyles);
  const { client, can } = useApp();
  const catalog = useCatalog(client);
  const [filters, setFilters] = useState<LogFilterState>(DEFAULT_LOG_FILTERS);
  const query = useMemo(() => toLogQuery(filters), [filters]);
  const key = JSON.stringify(query);
  const [rows, setRows] = useState<Rows>({ key: '' });
  const [acknowledging, setAcknowledging] = useState<LogEntry>();
  const [ackError, setAckError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // The query of the latest request: an answer to an earlier one, arriving late, is dropped.
  const latest = useRef(key);
  latest.current = key;
  const load = useCallback(
    (offset: number) =>
      client.log(query, PAGE, offset).then(
        (page) =>
          latest.current === key &&
          setRows((previous) => ({
            key,
            total: page.total,
            items: offset && previous.key === key ? [...(previous.items ?? []), ...page.items] : page.items,
          })),
        (error) => latest.current === key && setRows({ key, error: describeError(error) })
      ),
    [client, query, key]
  );
  useEffect(() => void load(0), [load]);
  const current = rows.key === key ? rows : undefined;

  const acknowledge = async (entry: LogEntry, comment: string) => {
    setBusy(true);
    try {
      const updated = await client.acknowledge(entry.predictionId, comment || undefined);
      setRows((previous) => ({
        ...previous,
        items: previous.items?.map((item) => (item.predictionId === updated.predictionId ? updated : item)),
      }));
      setAcknowledging(undefined);
      setAckError(undefined);
    } catch (error) {
      setAckError(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const colour = (plotTypeId: number, verdict: string) =>
    catalog.plotTypes?.find((p) => p.id === plotTypeId)?.classes.find((c) => c.name === verdict)?.colour;

  let body: React.ReactNode;
  if (current?.error) {
    body = (
      <Alert title="Cannot load the log" data-testid={testIds.log.error}>
        {current.error}
      </Alert>
    );
  } else if (!current?.items) {
    body = <LoadingPlaceholder text="Loading the log…" />;
  } else if (current.items.length === 0) {
    body = (
      <Alert severity="success" title="Nothing to report" data-testid={testIds.log.empty}>
        No verdict other than Good {filters === DEFAULT_LOG_FILTERS ? 'in the last 24 hours' : 'matches these filters'}.
      </Alert>
    );
  } else {
    body = (
      <>
        <table className={styles.table} data-testid={testIds.log.table}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Plot type</th>
              <th>Run</th>
              <th>Verdict</th>
              <th>Confidence</th>
              <th>Confirmed</th>
              <th>Acknowledged</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {current.items.map((entry) => (
              <tr key={entry.predictionId} data-testid={testIds.log.row(entry.predictionId)}>
                <td>{dateTimeFormat(entry.createdAt)}</td>
                <td>
                  {entry.plotType} <span className={styles.secondary}>({entry.deployment})</span>
                </td>
                <td>{entry.run ?? '–'}</td>
                <td>
                  <span className={styles.verdict} style={{ borderColor: colour(entry.plotTypeId, entry.verdict) }}>
                    {entry.verdict}
                  </span>
                </td>
                <td>{Math.round(entry.confidence * 100)}%</td>
                <td>{entry.confirmed ? 'yes' : 'no'}</td>
                <td>
                  {entry.acknowledgement ? (
                    <span>
                      {entry.acknowledgement.user}, {dateTimeFormat(entry.acknowledgement.at)}
                      {entry.acknowledgement.comment && `: “${entry.acknowledgement.comment}”`}
                    </span>
                  ) : can('label') ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      data-testid={testIds.log.acknowledge(entry.predictionId)}
                      onClick={() => setAcknowledging(entry)}
                    >
                      Acknowledge
                    </Button>
                  ) : (
                    <span className={styles.secondary}>not yet</span>
                  )}
                </td>
                <td>
                  <LinkButton size="sm" fill="text" icon="eye" href={labelerLink(entry.imageId, entry.plotType)}>
                    Open in the viewer
                  </LinkButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {current.items.length < (current.total ?? 0) && (
          <Button variant="secondary" onClick={() => load(current.items!.length)}>
            Show {Math.min(PAGE, current.total! - current.items.length)} more
          </Button>
        )}
      </>
    );
  }

  return (
    <PluginPage>
      <div className={styles.page}>
        <RightsNotice right="label" actions="acknowledgements" />
        <ActingAs />
        <LogFilters
          value={filters}
          deployments={catalog.deployments ?? []}
          plotTypes={catalog.plotTypes ?? []}
          onChange={setFilters}
        />
        <div className={styles.bar}>
          {current?.total !== undefined && (
            <span data-testid={testIds.log.total}>
              {current.total} verdict{current.total === 1 ? '' : 's'}
              {current.items && current.items.length < current.total ? `, ${current.items.length} shown` : ''}
            </span>
          )}
          <LinkButton
            data-testid={testIds.log.csv}
            size="sm"
            variant="secondary"
            icon="download-alt"
            href={client.logCsvUrl(query)}
            download="hydra-log.csv"
          >
            Export CSV (all rows)
          </LinkButton>
        </div>
        {body}
        {acknowledging && (
          <>
            {ackError && <Alert title="Not acknowledged">{ackError}</Alert>}
            <AcknowledgeModal
              entry={acknowledging}
              busy={busy}
              onConfirm={(comment) => acknowledge(acknowledging, comment)}
              onDismiss={() => setAcknowledging(undefined)}
            />
          </>
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  bar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2) }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
  secondary: css({ color: theme.colors.text.secondary }),
  verdict: css({ borderLeft: '4px solid transparent', paddingLeft: theme.spacing(0.5) }),
});
