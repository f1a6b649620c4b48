// The browser harness: the panel mounted as Grafana would, fed the live plots as the data source's "Latest plots"
// query feeds it (the kit's livePlots and plots frame), with Grafana's theme and the real @grafana/* packages. The
// page's own server plays Grafana's data source proxy (see grid.browser.test.ts).
import React, { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createTheme, dateTime, LoadingState, type DataFrame, type PanelData, type PanelProps } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import type { Plot } from '@hydra/inference-server/api';
import { apiUrlOf, describeError, HydraClient, livePlots } from '@hydra/plugin-kit/client';
import { plotsFrame } from '@hydra/plugin-kit/frames';
import { installGrafanaRuntime, proxyBase } from '@hydra/plugin-kit/testing';
import { PlotGridPanel } from '../../src/components/PlotGridPanel/PlotGridPanel';
import type { PanelOptions } from '../../src/types';

const params = new URLSearchParams(window.location.search);
const mode = params.get('theme') === 'light' ? 'light' : 'dark';
const deployment = params.get('deployment') ?? 'halld';
const theme = createTheme({ colors: { mode } });
document.body.style.background = theme.colors.background.canvas;
document.body.style.color = theme.colors.text.primary;
document.body.style.fontFamily = theme.typography.fontFamily;
document.body.style.margin = '0';

installGrafanaRuntime();
const client = new HydraClient(apiUrlOf(proxyBase('hydra')));
const options: PanelOptions = {
  news: 'Harness: simulated Hall D run',
  historyLength: 12,
  speakNames: true,
  labelerUrl: '#labeler-{imageId}',
};
const timeRange = { from: dateTime(Date.now() - 3600_000), to: dateTime(), raw: { from: 'now-1h', to: 'now' } };

function panelProps(series: DataFrame[], error?: string): PanelProps<PanelOptions> {
  const data = {
    state: LoadingState.Streaming,
    series,
    timeRange,
    errors: error ? [{ message: error }] : undefined,
  } as PanelData;
  return {
    id: 1,
    data,
    options,
    width: window.innerWidth - 16,
    height: window.innerHeight - 16,
  } as unknown as PanelProps<PanelOptions>;
}

/** The panel fed by a live "Latest plots" query. */
function LivePanel() {
  const [props, setProps] = useState(() => panelProps([]));
  useEffect(() => {
    const subscription = livePlots(client, deployment).subscribe(({ plots, error }) =>
      setProps(plots ? panelProps([plotsFrame(plots, client.apiUrl, 'A')]) : panelProps([], describeError(error)))
    );
    return () => subscription.unsubscribe();
  }, []);
  return <PlotGridPanel {...props} />;
}

const root = createRoot(document.getElementById('root')!);
const mount = (element: React.ReactElement) =>
  root.render(
    <ThemeContext.Provider value={theme}>
      {/* Grafana's own page styles (box sizing, fonts, body colours), as its app renders them. */}
      <GlobalStyles />
      <div style={{ padding: 8 }}>{element}</div>
    </ThemeContext.Provider>
  );
mount(<LivePanel />);

/** `count` plot types cycling through the given real plots (so thumbnails are real); `bump` gives the first a new image. */
function manyPlots(template: Plot[], count: number, bump = 0): DataFrame {
  // The first card's new image has the same verdict, so it stays where it is in the grid.
  const first = template.find((p) => p.prediction?.verdict === 'Good') ?? template[0]!;
  const alike = template.filter((p) => p.state === first.state && p.prediction?.verdict === first.prediction?.verdict);
  const items = Array.from({ length: count }, (_, i) => {
    const source = i === 0 ? alike[bump % alike.length]! : template[i % template.length]!;
    const name = `${(i === 0 ? first : source).plotType.name}_${String(i).padStart(3, '0')}`;
    return { ...source, plotType: { ...source.plotType, id: i + 1, name, title: name } };
  });
  return plotsFrame({ deployment, items }, client.apiUrl, 'A');
}

declare global {
  interface Window {
    harness: {
      prepare(count: number): Promise<void>;
      renderMany(): number;
      clear(): void;
      changeOne(): { ms: number; cardsChanged: string[] };
    };
  }
}

let template: Plot[] = [];
let count = 0;
let bump = 0;
const grid = () => <PlotGridPanel {...panelProps([manyPlots(template, count, bump)])} />;
/** Renders synchronously and returns the milliseconds it took (render, commit and layout effects). */
const timed = (element: React.ReactElement) => {
  const start = performance.now();
  flushSync(() => mount(element));
  return performance.now() - start;
};
window.harness = {
  /** Fetches real plots to repeat; outside the measured part. */
  async prepare(n) {
    template = (await client.plots(deployment)).items.filter((p) => p.image);
    count = n;
    mount(<div />);
  },
  renderMany: () => timed(grid()),
  /** Unmounts the grid, so the next renderMany mounts every card afresh. */
  clear: () => flushSync(() => mount(<div />)),
  /** A new image for the first card: the time of that update, and how many cards' DOM changed. */
  changeOne() {
    bump += 1;
    const changed = new Set<Element>();
    const observer = new MutationObserver((records) =>
      records.forEach((r) => {
        const card = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('[data-verdict]');
        if (card) {
          changed.add(card);
        }
      })
    );
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const ms = timed(grid());
    observer.takeRecords().forEach((r) => {
      const card = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('[data-verdict]');
      if (card) {
        changed.add(card);
      }
    });
    observer.disconnect();
    return { ms, cardsChanged: [...changed].map((card) => card.getAttribute('data-testid') ?? '') };
  },
};
