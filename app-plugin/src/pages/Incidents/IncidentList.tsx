import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { Incident } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';
import { tableStyle } from './DetectorTable';
import { formatDuration } from './durations';

interface Props {
  incidents: Incident[];
  selected?: number;
  onSelect: (key: number) => void;
  'data-testid': string;
}

/** Incidents by first flag, each with its first logbook mention or none; a click (or j/k) shows its timeline. */
export function IncidentList({ incidents, selected, onSelect, 'data-testid': testId }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid={testId}>
      <thead>
        <tr>
          <th>First flag</th>
          <th>Plot type</th>
          <th>Runs</th>
          <th>Flags</th>
          <th>First logbook mention</th>
          <th>Lead</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr
            key={incident.key}
            className={cx(styles.row, incident.key === selected && styles.selected)}
            data-testid={testIds.incidents.row(incident.key)}
            aria-selected={incident.key === selected}
            onClick={() => onSelect(incident.key)}
          >
            <td>{dateTimeFormat(incident.firstFlagAt)}</td>
            <td>
              {incident.plotType} <span className={styles.secondary}>({incident.detector})</span>
            </td>
            <td>{incident.runs.join(', ') || '–'}</td>
            <td>{incident.flags}</td>
            <td>
              {incident.logbook ? (
                <span>
                  {dateTimeFormat(incident.logbook.at)}, {incident.logbook.author}:{' '}
                  <span className={styles.secondary}>“{incident.logbook.text}”</span>
                </span>
              ) : (
                <span className={styles.warning}>none within the window</span>
              )}
            </td>
            <td>{formatDuration(incident.leadSeconds)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: tableStyle(theme),
  row: css({ cursor: 'pointer', '&:hover': { background: theme.colors.action.hover } }),
  selected: css({ background: theme.colors.action.selected, boxShadow: `inset 3px 0 ${theme.colors.primary.main}` }),
  secondary: css({ color: theme.colors.text.secondary }),
  warning: css({ color: theme.colors.warning.text }),
});
