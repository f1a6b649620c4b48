import React, { useEffect, useRef } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { css, cx } from '@emotion/css';
import type { PlotTypeInfo } from '@hydra/inference-server/api';
import type { RunPlot, RunPlots } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';
import { PlotFigure } from './PlotFigure';

interface Props {
  apiUrl: string;
  /** One run, or two side by side; each with its plots once loaded. */
  runs: Array<{ run: number; plots?: RunPlots }>;
  plotTypes: PlotTypeInfo[];
  /** The plot type to scroll to and mark (from a cell of the Runs table). */
  focus?: string;
}

/** One row per plot type: the run's latest plot (or each run's), then the plot type's reference. */
export function RunPlotsGrid({ apiUrl, runs, plotTypes, focus }: Props) {
  const styles = useStyles2(getStyles);
  const focused = useRef<HTMLDivElement>(null);
  const rows = new Map<number, { plotType: RunPlot['plotType']; referenceImageId: number | null }>();
  for (const { plots } of runs) {
    plots?.items.forEach((item) => rows.set(item.plotType.id, item));
  }
  // Plot types without a plot in any of the runs take no row, only a count.
  const shown = [...rows.values()].filter(({ plotType }) =>
    runs.some(({ plots }) => plots?.items.some((i) => i.plotType.id === plotType.id && i.image))
  );
  const hidden = rows.size - shown.length;
  const found = shown.some((row) => row.plotType.name === focus);
  useEffect(() => {
    // jsdom has no scrolling.
    focused.current?.scrollIntoView?.({ block: 'center' });
  }, [found]);
  const severity = (item: RunPlot) =>
    item.prediction &&
    plotTypes.find((p) => p.id === item.plotType.id)?.classes.find((c) => c.name === item.prediction!.verdict)
      ?.severity;

  return (
    <div className={styles.rows}>
      {shown.map(({ plotType, referenceImageId }) => (
        <div
          key={plotType.id}
          ref={plotType.name === focus ? focused : undefined}
          className={cx(styles.row, plotType.name === focus && styles.focus)}
        >
          <div className={styles.name}>
            <strong>{plotType.title || plotType.name}</strong>
            <span className={styles.secondary}>
              {plotType.name} · {plotType.group}
            </span>
          </div>
          {runs.map(({ run, plots }) => {
            const item = plots?.items.find((i) => i.plotType.id === plotType.id);
            return item?.image ? (
              <PlotFigure
                key={run}
                data-testid={testIds.browse.plot(run, plotType.id)}
                apiUrl={apiUrl}
                imageId={item.image.id}
                plotType={plotType.name}
                caption={`Run ${run}`}
                prediction={item.prediction}
                severity={severity(item)}
                capturedAt={item.image.capturedAt}
              />
            ) : (
              <div key={run} className={styles.missing}>
                {plots ? `No ${plotType.name} plot in run ${run}` : ''}
              </div>
            );
          })}
          {referenceImageId === null ? (
            <div className={styles.missing}>No reference set for {plotType.name}</div>
          ) : (
            <PlotFigure
              data-testid={testIds.browse.reference(plotType.id)}
              apiUrl={apiUrl}
              imageId={referenceImageId}
              plotType={plotType.name}
              caption="Reference"
            />
          )}
        </div>
      ))}
      {hidden > 0 && (
        <span className={styles.secondary}>
          {hidden} plot type{hidden === 1 ? ' has' : 's have'} no plot in{' '}
          {runs.length === 1 ? 'this run' : 'these runs'}.
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  rows: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  row: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  focus: css({ outline: `2px solid ${theme.colors.primary.main}`, borderRadius: theme.shape.radius.default }),
  name: css({ display: 'flex', flexDirection: 'column', width: 180, flexShrink: 0 }),
  secondary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  missing: css({
    width: 288,
    padding: theme.spacing(2),
    color: theme.colors.text.secondary,
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
  }),
});
