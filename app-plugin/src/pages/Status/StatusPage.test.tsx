import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import type { ImagesPerDay, ServerStatus } from '@hydra/plugin-kit/client';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

/** The Grafana user's role in the organisation, as Grafana's boot data gives it. */
const asGrafana = (orgRole: OrgRole) => (config.bootData.user = { ...config.bootData.user, orgRole });
afterEach(() => asGrafana(OrgRole.Viewer));

describe('Status page', () => {
  it('says it is loading, then shows the backend, queue, InfluxDB, EPICS and the images per day', async () => {
    asGrafana(OrgRole.Admin);
    renderPage('/status');
    expect(screen.getByText('Asking the inference server how it is…')).toBeInTheDocument();
    const status = await api<ServerStatus>('viewer', 'GET', '/status');
    expect(await screen.findByTestId(testIds.status.figure('backend'))).toHaveTextContent(status.backend.name);
    expect(screen.getByTestId(testIds.status.figure('workers'))).toHaveTextContent(`of ${status.workers.size}`);
    // The test server runs without InfluxDB and EPICS.
    expect(screen.getByTestId(testIds.status.figure('influx'))).toHaveTextContent('HYDRA_INFLUX_URL is empty');
    expect(screen.getByTestId(testIds.status.figure('epics'))).toHaveTextContent('not configured');
    expect(screen.getByTestId(testIds.status.figure('storage'))).toHaveTextContent(/measuring…|files, measured/);
    const { days } = await api<ImagesPerDay>('viewer', 'GET', `/status/images-per-day?deployment=${hydra.deployment}`);
    const today = days[days.length - 1]!;
    expect(today.images).toBeGreaterThan(0);
    expect(await screen.findByTestId(testIds.status.day(today.day))).toHaveAttribute(
      'data-images',
      String(today.images)
    );
    expect(screen.getByTestId(testIds.status.figure('training'))).toHaveTextContent('Training jobs');
  });

  it('shows a Grafana user who is not an admin why the page is empty, and asks the server nothing', async () => {
    asGrafana(OrgRole.Viewer);
    renderPage('/status', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.status.forbidden)).toHaveTextContent('for Grafana admins');
    expect(screen.queryByTestId(testIds.status.error)).not.toBeInTheDocument();
  });

  it('says why when the server cannot be reached', async () => {
    asGrafana(OrgRole.Admin);
    renderPage('/status', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.status.error)).toHaveTextContent('Cannot reach');
  });
});
