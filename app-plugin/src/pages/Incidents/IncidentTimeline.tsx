import React, { useEffect, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, IconButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, type IncidentQuery, type IncidentTimeline as Timeline } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { testIds } from '../../testIds';
import { formatDuration } from './durations';

const KIND_LABEL: Record<Timeline['events'][number]['kind'], string> = {
  'first-flag': 'The monitor flagged it',
  acknowledgement: 'Acknowledged on the Log page',
  override: 'Verdict overridden',
  logbook: 'First logbook mention',
  'last-flag': 'Last flag',
};

/** What happened to one incident, in order, each step with its time after the first flag. */
export function IncidentTimeline({
  incidentKey,
  query,
  onClose,
}: {
  incidentKey: number;
  query: IncidentQuery;
  onClose: () => void;
}) {
  const styles = useStyles2(getStyles);
  const { client } = useApp();
  const [state, setState] = useState<{ key: number; timeline?: Timeline; error?: string }>();
  useEffect(() => {
    let current = true;
    client.incidentTimeline(incidentKey, query).then(
      (timeline) => current && setState({ key: incidentKey, timeline }),
      (error) => current && setState({ key: incidentKey, error: describeError(error) })
    );
    return () => {
      current = false;
    };
  }, [client, incidentKey, query]);

  let body: React.ReactNode;
  if (state?.key !== incidentKey) {
    body = <LoadingPlaceholder text="Loading the timeline…" />;
  } else if (state.error) {
    body = <Alert title="Cannot load the timeline">{state.error}</Alert>;
  } else {
    const { incident, events } = state.timeline!;
    const start = Date.parse(incident.firstFlagAt);
    body = (
      <>
        <h4>
          {incident.plotType} ({incident.detector}): {incident.verdicts.join(', ')}
          {incident.runs.length > 0 && `, run ${incident.runs.join(', ')}`}
        </h4>
        <ol className={styles.events}>
          {events.map((event, index) => (
            <li key={index} className={styles.event} data-testid={testIds.incidents.event(event.kind)}>
              <span className={styles.dot} data-kind={event.kind} />
              <div>
                <div>
                  <strong>{KIND_LABEL[event.kind]}</strong>
                  {event.by && ` by ${event.by}`}
                </div>
                <div className={styles.secondary}>
                  {dateTimeFormat(event.at)}
                  {event.kind !== 'first-flag' && ` (+${formatDuration((Date.parse(event.at) - start) / 1000)})`}
                </div>
                <div>{event.detail}</div>
              </div>
            </li>
          ))}
        </ol>
        {!incident.logbook && (
          <Alert severity="warning" title="Nobody wrote about it">
            No logbook entry named this plot type, its detector or its runs within the window.
          </Alert>
        )}
      </>
    );
  }
  return (
    <section className={styles.panel} data-testid={testIds.incidents.timeline} aria-label="Incident timeline">
      <div className={styles.header}>
        <h3>Timeline</h3>
        <IconButton name="times" tooltip="Close (Esc)" onClick={onClose} />
      </div>
      {body}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1, 2),
    background: theme.colors.background.secondary,
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }),
  events: css({ listStyle: 'none', margin: 0, padding: 0, borderLeft: `2px solid ${theme.colors.border.medium}` }),
  event: css({ display: 'flex', gap: theme.spacing(1), padding: theme.spacing(0.5, 0, 1, 0), marginLeft: -6 }),
  dot: css({
    flex: 'none',
    width: 10,
    height: 10,
    marginTop: 4,
    borderRadius: '50%',
    background: theme.colors.text.secondary,
    '&[data-kind="first-flag"]': { background: theme.colors.error.main },
    '&[data-kind="logbook"]': { background: theme.colors.success.main },
    '&[data-kind="acknowledgement"], &[data-kind="override"]': { background: theme.colors.info.main },
  }),
  secondary: css({ color: theme.colors.text.secondary }),
});
