// Renders an app page in jsdom as Grafana would (a router under the app, the app's client through the plugin proxy),
// against the real inference server of global setup, reached as the role given.
import React from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { inject } from 'vitest';
import { apiUrlOf, appProxyBase, HydraAppClient } from '@hydra/plugin-kit/client';
import { installGrafanaRuntime, type HydraServerInfo } from '@hydra/plugin-kit/testing';
import { AppRoutes } from '../src/components/App/App';
import { AppProvider } from '../src/components/App/AppContext';
import { PLUGIN_ID } from '../src/constants';

export const hydra: HydraServerInfo = inject('hydra');

export type Role = keyof HydraServerInfo['tokens'];

/** Where nothing listens: what the app sees when Grafana's proxy cannot reach the server. */
export const UNREACHABLE = 'http://127.0.0.1:9';

/**
 * `grafanaUser`: the app's token is the Grafana proxy token (role labeler), and the proxy names that user, as Grafana
 * does with send_user_header; else the token of `role`. `element`: what to render in the app instead of its routes
 * (a view that a page on another branch mounts).
 */
export function renderPage(
  path: string,
  {
    role = 'labeler',
    url = hydra.url,
    grafanaUser,
    element = <AppRoutes />,
  }: { role?: Role; url?: string; grafanaUser?: string; element?: React.ReactElement } = {}
) {
  installGrafanaRuntime({
    proxy: {
      uid: PLUGIN_ID,
      base: appProxyBase(PLUGIN_ID),
      jsonData: { url },
      secureJsonData: { apiToken: grafanaUser === undefined ? hydra.tokens[role] : hydra.grafanaToken },
      grafanaUser,
    },
  });
  const client = new HydraAppClient(apiUrlOf(appProxyBase(PLUGIN_ID)), undefined, { retries: 0 });
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppProvider client={client}>{element}</AppProvider>
    </MemoryRouter>
  );
}

/** Calls the server directly, as the role given; for arranging and checking what a test did. */
export async function api<T>(role: Role, method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${hydra.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${hydra.tokens[role]}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}
