// The browser harness: the panel mounted as Grafana would, fed the live plots as the data source's "Latest plots" query
// feeds it (the preview page's LivePanel), with Grafana's theme and the real @grafana/* packages. The page's own
// server plays Grafana's data source proxy (see grid.browser.test.ts).
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { DataFrame } from '@grafana/data';
import type { Plot } from '@hydra/inference-server/api';
import { apiUrlOf, HydraClient } from '@hydra/plugin-kit/client';
import { plotsFrame } from '@hydra/plugin-kit/frames';
import { installGrafanaRuntime, proxyBase } from '@hydra/plugin-kit/testing';
import { PlotGridPanel } from '../../src/components/PlotGridPanel/PlotGridPanel';
import type { PanelOptions } from '../../src/types';
import { LivePanel, pageTheme, panelProps, renderThemed } from '../../preview/livePanel';

const params = new URLSearchParams(window.location.search);
const theme = pageTheme(params.get('theme') === 'light' ? 'light' : 'dark');
const deployment = params.get('deployment') ?? 'halld';

installGrafanaRuntime();
const client = new HydraClient(apiUrlOf(proxyBase('hydra')));
const options: PanelOptions = {
  news: 'Harness: simulated Hall D run',
  historyLength: 12,
  speakNames: true,
  labelerUrl: '#labeler-{imageId}',
};
const size = { width: window.innerWidth - 16, height: window.innerHeight - 16 };

const root = createRoot(document.getElementById('root')!);
const mount = (element: React.ReactElement) => renderThemed(root, theme, <div style={{ padding: 8 }}>{element}</div>);
mount(<LivePanel client={client} deployment={deployment} options={options} size={size} />);

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
const grid = () => <PlotGridPanel {...panelProps([manyPlots(template, count, bump)], options, size)} />;
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
