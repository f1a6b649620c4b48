import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { IncidentReport, LeadFigures } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';
import { formatDuration, formatHours } from './durations';

/** Per detector and in all: incidents, how many the logbook mentioned, and the monitor's lead. */
export function DetectorTable({ report }: { report: IncidentReport }) {
  const styles = useStyles2(getStyles);
  const row = (figures: LeadFigures) => (
    <tr
      key={figures.detector ?? 'all'}
      className={figures.detector === null ? styles.total : undefined}
      data-testid={testIds.incidents.detector(figures.detector ?? 'all')}
    >
      <td>{figures.detector ?? 'All detectors'}</td>
      <td>{figures.incidents}</td>
      <td>{figures.matched}</td>
      <td>{figures.unmatched}</td>
      <td>{formatDuration(figures.medianLeadSeconds)}</td>
      <td>{formatDuration(figures.worstLeadSeconds)}</td>
      <td>{formatHours(figures.beamOnLeadSeconds)}</td>
    </tr>
  );
  return (
    <table className={styles.table} data-testid={testIds.incidents.detectors}>
      <thead>
        <tr>
          <th>Detector</th>
          <th>Incidents</th>
          <th>In the logbook</th>
          <th>Nobody wrote</th>
          <th>Median lead</th>
          <th>Worst lead</th>
          <th title="The lead times while the beam was on: how long a human would have waited">Waited with beam</th>
        </tr>
      </thead>
      <tbody>
        {report.detectors.map(row)}
        {row(report.totals)}
      </tbody>
    </table>
  );
}

export const tableStyle = (theme: GrafanaTheme2) =>
  css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
  });

const getStyles = (theme: GrafanaTheme2) => ({
  table: tableStyle(theme),
  total: css({ fontWeight: theme.typography.fontWeightMedium, background: theme.colors.background.secondary }),
});
