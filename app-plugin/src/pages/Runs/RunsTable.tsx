import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { RunCell, RunsSummary } from '@hydra/plugin-kit/client';
import { AppLink } from '../../components/AppLink/AppLink';
import { severityColours } from '../../components/Severity/severityColours';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';

/** The Browse page of a run, from a page of the app (a sibling route); `plotType` scrolls to that plot. */
export const browseLink = (deployment: string, run: number, plotType?: string) =>
  `../${ROUTES.browse}?${new URLSearchParams({ deployment, run: String(run), ...(plotType && { plotType }) })}`;

const time = (iso: string | null) => (iso ? dateTimeFormat(iso) : '–');

interface Props {
  summary: RunsSummary;
}

/** Runs (newest first) × plot types; each cell shows the worst latest verdict in its severity's colour. */
export function RunsTable({ summary }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.scroll}>
      <table className={styles.table} data-testid={testIds.runs.table}>
        <thead>
          <tr>
            <th>Run</th>
            <th>Started</th>
            <th title="Plot types with at least one Bad image">Bad plots</th>
            <th>First Bad</th>
            <th title="Labels of source override on the run's images">Overrides</th>
            {summary.plotTypes.map((p) => (
              <th key={p.id} className={styles.plotType} title={p.title || p.name}>
                <span>{p.name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.runs.map((run) => {
            const cells = new Map(run.cells.map((cell) => [cell.plotTypeId, cell]));
            return (
              <tr key={run.number} data-testid={testIds.runs.row(run.number)}>
                <td>
                  <AppLink to={browseLink(summary.deployment, run.number)}>{run.number}</AppLink>
                </td>
                <td className={styles.secondary}>{time(run.startedAt)}</td>
                <td className={run.badPlots ? styles.bad : undefined}>{run.badPlots}</td>
                <td>{time(run.firstBadAt)}</td>
                <td>{run.overrides}</td>
                {summary.plotTypes.map((p) => {
                  const cell = cells.get(p.id);
                  return (
                    <td key={p.id} className={styles.cellTd}>
                      {cell && (
                        <VerdictCell
                          cell={cell}
                          run={run.number}
                          href={browseLink(summary.deployment, run.number, p.name)}
                          plotType={p.name}
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function VerdictCell({ cell, run, href, plotType }: { cell: RunCell; run: number; href: string; plotType: string }) {
  const styles = useStyles2(getStyles);
  const colours = severityColours(useTheme2(), cell.worstSeverity);
  const details = [
    `${plotType}, run ${run}: ${cell.images} image${cell.images === 1 ? '' : 's'}`,
    cell.worstVerdict ? `worst verdict ${cell.worstVerdict}` : 'no verdict yet',
    cell.bad ? `${cell.bad} Bad, the first at ${time(cell.firstBadAt)}` : '',
    cell.overrides ? `${cell.overrides} override${cell.overrides === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return (
    <Tooltip content={details.join('; ')}>
      <AppLink
        to={href}
        className={styles.cell}
        style={{ background: colours.fill, borderColor: colours.border, color: colours.text }}
        data-testid={testIds.runs.cell(run, cell.plotTypeId)}
        data-severity={cell.worstSeverity ?? 'none'}
        aria-label={details.join('; ')}
      >
        {cell.worstVerdict ?? 'no verdict'}
        {cell.bad > 1 && <sup>{cell.bad}</sup>}
        {cell.overrides > 0 && <span className={styles.override}>✎</span>}
      </AppLink>
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflowX: 'auto' }),
  table: css({
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
    },
  }),
  plotType: css({ fontSize: theme.typography.bodySmall.fontSize, maxWidth: 110, overflow: 'hidden' }),
  cellTd: css({ padding: `${theme.spacing(0.25)} !important` }),
  cell: css({
    display: 'block',
    minWidth: 64,
    padding: theme.spacing(0.25, 0.75),
    border: '1px solid',
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    textAlign: 'center',
    '&:hover, &:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 1 },
  }),
  override: css({ marginLeft: theme.spacing(0.5) }),
  bad: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  secondary: css({ color: theme.colors.text.secondary }),
});
