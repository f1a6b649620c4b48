// What the browser harness and the preview page share: the panel mounted as Grafana would (its theme, its global
// styles), fed the live plots as the data source's "Latest plots" query feeds it (the kit's livePlots and plots frame).
import React, { useEffect, useState } from 'react';
import type { Root } from 'react-dom/client';
import {
  createTheme,
  dateTime,
  LoadingState,
  type DataFrame,
  type GrafanaTheme2,
  type PanelData,
  type PanelProps,
} from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { describeError, livePlots, type HydraClient } from '@hydra/plugin-kit/client';
import { plotsFrame } from '@hydra/plugin-kit/frames';
import { PlotGridPanel } from '../src/components/PlotGridPanel/PlotGridPanel';
import type { PanelOptions } from '../src/types';

/** Grafana's theme in the given mode, with the page's body in its colours. */
export function pageTheme(mode: 'dark' | 'light'): GrafanaTheme2 {
  const theme = createTheme({ colors: { mode } });
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  document.body.style.margin = '0';
  return theme;
}

/** Renders as Grafana's app renders a panel: in its theme, under its own page styles (box sizing, fonts, colours). */
export function renderThemed(root: Root, theme: GrafanaTheme2, element: React.ReactElement) {
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      {element}
    </ThemeContext.Provider>
  );
}

export interface PanelSize {
  width: number;
  height: number;
}

const lastHour = () => ({ from: dateTime(Date.now() - 3600_000), to: dateTime(), raw: { from: 'now-1h', to: 'now' } });

/** The props Grafana gives the panel: a streaming query's frames (or its error), the options and the panel's size. */
export function panelProps(
  series: DataFrame[],
  options: PanelOptions,
  size: PanelSize,
  error?: string
): PanelProps<PanelOptions> {
  const data = {
    state: LoadingState.Streaming,
    series,
    timeRange: lastHour(),
    errors: error ? [{ message: error }] : undefined,
  } as PanelData;
  return { id: 1, data, options, ...size } as unknown as PanelProps<PanelOptions>;
}

interface LivePanelProps {
  client: HydraClient;
  deployment: string;
  options: PanelOptions;
  size: PanelSize;
}

/** The panel fed by a live "Latest plots" query of the deployment. */
export function LivePanel({ client, deployment, options, size }: LivePanelProps) {
  const [update, setUpdate] = useState<{ series: DataFrame[]; error?: string }>({ series: [] });
  useEffect(() => {
    const subscription = livePlots(client, deployment).subscribe(({ plots, error }) =>
      setUpdate(
        plots ? { series: [plotsFrame(plots, client.apiUrl, 'A')] } : { series: [], error: describeError(error) }
      )
    );
    return () => subscription.unsubscribe();
  }, [client, deployment]);
  return <PlotGridPanel {...panelProps(update.series, options, size, update.error)} />;
}
