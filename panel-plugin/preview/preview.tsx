// The preview page that `hydra serve --preview` and `npm run demo` show at /: the panel's own plot grid and viewer,
// mounted as the browser harness mounts them, reading this server's API straight from the page (same origin, so
// the server must run without tokens). It says it is a preview and how to get the real thing in Grafana.
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { Deployment } from '@hydra/inference-server/api';
import { describeError, HydraClient } from '@hydra/plugin-kit/client';
import { installGrafanaRuntime } from '@hydra/plugin-kit/testing';
import { testIds } from '../src/testIds';
import type { PanelOptions } from '../src/types';
import { LivePanel, pageTheme, renderThemed, type PanelSize } from './livePanel';

const params = new URLSearchParams(window.location.search);
const theme = pageTheme(params.get('theme') === 'light' ? 'light' : 'dark');
// No Grafana proxy here: requests go to this server as they are.
installGrafanaRuntime();
const client = new HydraClient('/api/v1');
const options: PanelOptions = { news: '', historyLength: 20, speakNames: false, labelerUrl: '' };
const GRAFANA_SECTION = 'From docker compose up to a working dashboard and a test alarm';
const BANNER_PX = 96;

type Page =
  | { state: 'loading' }
  | { state: 'tokens-required' }
  | { state: 'no-deployment' }
  | { state: 'error'; message: string }
  | { state: 'ready'; deployments: Deployment[] };

/** The deployment to show: the one in the URL, else `demo` (npm run demo feeds it), else the first. */
function chosenDeployment(deployments: Deployment[]): string {
  const names = deployments.map((d) => d.name);
  const asked = params.get('deployment');
  return asked && names.includes(asked) ? asked : names.includes('demo') ? 'demo' : names[0]!;
}

function useWindowSize(): PanelSize {
  const measure = () => ({ width: window.innerWidth - 16, height: window.innerHeight - BANNER_PX - 16 });
  const [size, setSize] = useState(measure);
  useEffect(() => {
    const onResize = () => setSize(measure());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

function Preview() {
  const styles = useStyles2(getStyles);
  const [page, setPage] = useState<Page>({ state: 'loading' });
  const [deployment, setDeployment] = useState('');
  const size = useWindowSize();
  useEffect(() => {
    (async () => {
      // Without a token the server answers as anonymous: with tokens on, the page could read nothing.
      if (!(await client.health()).authenticated) {
        return setPage({ state: 'tokens-required' });
      }
      const { items } = await client.deployments();
      if (items.length === 0) {
        return setPage({ state: 'no-deployment' });
      }
      setDeployment(chosenDeployment(items));
      setPage({ state: 'ready', deployments: items });
    })().catch((error: unknown) => setPage({ state: 'error', message: describeError(error, 'this server') }));
  }, []);

  return (
    <div className={styles.page}>
      <header className={styles.banner} data-testid={testIds.preview.banner}>
        <div>
          <strong>Preview</strong> of the Hydra plot grid, live from this server, outside Grafana. Click a plot for its
          viewer (Grad-CAM, probabilities, history, override).
        </div>
        <div className={styles.hint}>
          The real thing is a Grafana dashboard (grid, trends, alerts, Labeler, Log): <code>npm run build</code>, then{' '}
          <code>docker compose up -d</code> and http://localhost:3000, as the README section “{GRAFANA_SECTION}” says.
        </div>
        {page.state === 'ready' && page.deployments.length > 1 && (
          <label className={styles.hint}>
            Deployment{' '}
            <select
              value={deployment}
              onChange={(event) => setDeployment(event.target.value)}
              data-testid={testIds.preview.deployment}
            >
              {page.deployments.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.title || d.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {page.state === 'ready' ? (
        <LivePanel client={client} deployment={deployment} options={options} size={size} />
      ) : (
        <p className={styles.message} data-testid={testIds.preview.message}>
          {messageOf(page)}
        </p>
      )}
    </div>
  );
}

function messageOf(page: Exclude<Page, { state: 'ready' }>): string {
  switch (page.state) {
    case 'loading':
      return 'Loading…';
    case 'tokens-required':
      return (
        'This server requires API tokens (HYDRA_AUTH=true), and a page cannot send one with its images and live ' +
        'stream. The preview is for a server of your own without tokens, as `npm run demo` runs it; with tokens, ' +
        'use Grafana.'
      );
    case 'no-deployment':
      return 'No deployment yet: `npm run demo` feeds one, or register one and send plots (README, "A first verdict with curl").';
    case 'error':
      return page.message;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(1) }),
  banner: css({
    minHeight: BANNER_PX - 16,
    marginBottom: theme.spacing(1),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.colors.warning.main}`,
    background: theme.colors.background.secondary,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  hint: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  message: css({ padding: theme.spacing(2) }),
});

renderThemed(createRoot(document.getElementById('root')!), theme, <Preview />);
