// The browser harness: the app's pages mounted as Grafana mounts them (a router at /a/hydra-dqm-app/<page>, Grafana's
// theme and global styles, the real @grafana/* packages), talking to a real inference server through the page's own
// server, which plays Grafana's plugin proxy (see labeler.browser.test.ts). `?synthetic=N` feeds the Labeler N images
// cycling through the server's real ones, for the scroll benchmark.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { createTheme, OrgRole } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { config } from '@grafana/runtime';
import { apiUrlOf, appProxyBase, HydraAppClient, type QueueItem, type QueuePage } from '@hydra/plugin-kit/client';
import { installGrafanaRuntime } from '@hydra/plugin-kit/testing';
import { AppProvider } from '../../src/components/App/AppContext';
import { AppRoutes } from '../../src/components/App/App';
import { PLUGIN_ID } from '../../src/constants';
import { LIBRARY_EVALUATION_PAGE, LibraryEvaluationHarness } from './LibraryEvaluationHarness';

const params = new URLSearchParams(window.location.search);
const mode = params.get('theme') === 'light' ? 'light' : 'dark';
const page = params.get('page') ?? 'labeler';
const synthetic = Number(params.get('synthetic') ?? 0);
const theme = createTheme({ colors: { mode } });
document.body.style.background = theme.colors.background.canvas;
document.body.style.color = theme.colors.text.primary;
document.body.style.fontFamily = theme.typography.fontFamily;
document.body.style.margin = '0';

/** A queue of `count` images repeating the server's real ones (real thumbnails), in pages as the server sends them. */
class SyntheticQueueClient extends HydraAppClient {
  private template?: Promise<QueueItem[]>;

  constructor(
    apiUrl: string,
    private readonly count: number
  ) {
    super(apiUrl);
  }

  override async queue(...[query, sort, limit, offset = 0]: Parameters<HydraAppClient['queue']>): Promise<QueuePage> {
    this.template ??= super.queue(query, sort, 1000).then((real) => real.items);
    const template = await this.template;
    const end = Math.min(this.count, offset + limit);
    const items = Array.from({ length: Math.max(0, end - offset) }, (_, i) => {
      const n = offset + i;
      return { ...template[n % template.length]!, run: 1000 + Math.floor(n / 100) };
    });
    return { items };
  }

  override async queueCount(): Promise<{ total: number }> {
    return { total: this.count };
  }
}

installGrafanaRuntime();
// The Grafana user's role in the organisation (the Status page is for admins); ?orgRole= to see another's view.
config.bootData.user = { ...config.bootData.user, orgRole: (params.get('orgRole') ?? OrgRole.Admin) as OrgRole };
const apiUrl = apiUrlOf(appProxyBase(PLUGIN_ID));
const client = synthetic ? new SyntheticQueueClient(apiUrl, synthetic) : new HydraAppClient(apiUrl);
// Grafana mounts an app under /a/<id>/; its routes are relative to that.
const entry = `/${page}${params.get('search') ?? ''}`;

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <div style={{ padding: 16 }}>
      <MemoryRouter initialEntries={[entry]}>
        <AppProvider client={client}>
          {page === LIBRARY_EVALUATION_PAGE ? <LibraryEvaluationHarness params={params} /> : <AppRoutes />}
        </AppProvider>
      </MemoryRouter>
    </div>
  </ThemeContext.Provider>
);
