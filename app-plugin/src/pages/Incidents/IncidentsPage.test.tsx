import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '@hydra/inference-server/api';
import type { IncidentReport } from '@hydra/plugin-kit/client';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

const deploymentId = async (name = hydra.deployment) =>
  (await api<{ items: Deployment[] }>('viewer', 'GET', '/deployments')).items.find((d) => d.name === name)!.id;

/** Waits until the server's report holds an incident of each plot type. */
async function reportWith(plotTypes: string[]): Promise<IncidentReport> {
  const id = await deploymentId();
  let report: IncidentReport | undefined;
  await waitFor(
    async () => {
      report = await api<IncidentReport>('viewer', 'GET', `/incidents/report?deploymentId=${id}`);
      expect(plotTypes.every((p) => report!.incidents.some((i) => i.plotType === p))).toBe(true);
    },
    { timeout: 30_000 }
  );
  return report!;
}

describe('Incidents page', () => {
  it('shows the lead per detector, the incidents nobody wrote about, and one incident’s timeline', async () => {
    // A dark FCAL plot the crew writes about, and a dark TOF plot nobody mentions.
    const server = hydra as unknown as HydraServer;
    await postPlot(server, { plotType: 'FCAL_occupancy', run: 4100, seed: 11, bad: true });
    await postPlot(server, { plotType: 'TOF_timing', run: 4100, seed: 12, bad: true });
    await reportWith(['FCAL_occupancy', 'TOF_timing']);
    const at = new Date(Date.now() + 60_000).toISOString();
    await api('expert', 'POST', '/logbook', {
      deployment: hydra.deployment,
      format: 'jsonl',
      content: JSON.stringify({ time: at, author: 'shift-crew', text: 'FCAL looks dark in the monitoring' }),
    });
    const report = await reportWith(['FCAL_occupancy']);
    const fcal = report.incidents.find((i) => i.plotType === 'FCAL_occupancy' && i.logbook)!;
    const tof = report.incidents.find((i) => i.plotType === 'TOF_timing')!;
    expect(tof.logbook).toBeNull();

    renderPage('/incidents');
    expect(screen.getByText('Loading the incident report…')).toBeInTheDocument();
    const fcalRow = await screen.findByTestId(testIds.incidents.detector('FCAL'));
    expect(fcalRow).toHaveTextContent(/FCAL\s*1\s*1\s*0\s*1 min/);
    expect(screen.getByTestId(testIds.incidents.detector('all'))).toHaveTextContent('All detectors');
    expect(screen.getByTestId(testIds.incidents.summary)).toHaveTextContent('nobody wrote about');
    expect(screen.getByTestId(testIds.incidents.beam)).toHaveTextContent('EPICS is off');
    const unmatched = screen.getByTestId(testIds.incidents.unmatched);
    expect(within(unmatched).getByTestId(testIds.incidents.row(tof.key))).toHaveTextContent('none within the window');
    expect(within(unmatched).queryByTestId(testIds.incidents.row(fcal.key))).toBeNull();

    fireEvent.click(within(screen.getByTestId(testIds.incidents.list)).getByTestId(testIds.incidents.row(fcal.key)));
    const timeline = await screen.findByTestId(testIds.incidents.timeline);
    expect(await within(timeline).findByTestId(testIds.incidents.event('logbook'))).toHaveTextContent(
      'FCAL looks dark in the monitoring'
    );
    expect(within(timeline).getByTestId(testIds.incidents.event('first-flag'))).toHaveTextContent(
      'The monitor flagged it'
    );
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId(testIds.incidents.timeline)).toBeNull());
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(await screen.findByTestId(testIds.incidents.timeline)).toBeInTheDocument();

    const csv = new URL(screen.getByTestId(testIds.incidents.csv).getAttribute('href')!, 'http://grafana');
    expect(csv.pathname).toBe('/api/plugin-proxy/hydra-dqm-app/hydra/api/v1/incidents/report.csv');
    expect(csv.searchParams.get('deploymentId')).toBe(String(report.deploymentId));
  });

  it('says a deployment with no incident has none', async () => {
    const { id } = await api<Deployment>('admin', 'POST', '/deployments', { name: 'quiet-hall' });
    renderPage(`/incidents?deploymentId=${id}`);
    expect(await screen.findByTestId(testIds.incidents.empty)).toHaveTextContent('No incident in this period');
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/incidents', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.incidents.error)).toHaveTextContent('Cannot reach');
  });
});
