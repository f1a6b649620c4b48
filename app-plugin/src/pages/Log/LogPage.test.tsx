import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '@hydra/plugin-kit/client';
import { api, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

const log = () => api<{ items: LogEntry[]; total: number }>('viewer', 'GET', '/log');

describe('Log page', () => {
  it('says it is loading, then lists the non-Good verdicts of the last 24 h, or says there are none', async () => {
    renderPage('/log');
    expect(screen.getByText('Loading the log…')).toBeInTheDocument();
    const { items, total } = await log();
    if (total === 0) {
      expect(await screen.findByTestId(testIds.log.empty)).toHaveTextContent('in the last 24 hours');
    } else {
      expect(await screen.findByTestId(testIds.log.row(items[0]!.predictionId))).toHaveTextContent(items[0]!.plotType);
      expect(screen.getByTestId(testIds.log.total)).toHaveTextContent(`${total} verdict`);
    }
  });

  it('says a filter that matches nothing matches nothing, and the CSV link carries the filter', async () => {
    renderPage('/log');
    const runFrom = await screen.findByLabelText('Log run from');
    fireEvent.change(runFrom, { target: { value: '1' } });
    fireEvent.blur(runFrom);
    const runTo = screen.getByLabelText('Log run to');
    fireEvent.change(runTo, { target: { value: '2' } });
    fireEvent.blur(runTo);
    expect(await screen.findByTestId(testIds.log.empty)).toHaveTextContent('matches these filters');
    const csv = new URL(screen.getByTestId(testIds.log.csv).getAttribute('href')!, 'http://grafana');
    expect(csv.pathname).toBe('/api/plugin-proxy/hydra-dqm-app/hydra/api/v1/log.csv');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ runFrom: '1', runTo: '2' });
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/log', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.log.error)).toHaveTextContent('Cannot reach');
  });

  it('offers no Acknowledge to a viewer token and says why', async () => {
    renderPage('/log', { role: 'viewer' });
    expect(await screen.findByTestId(testIds.rights)).toHaveTextContent('acknowledgements need the labeler role');
    await waitFor(() => expect(screen.queryByText('Loading the log…')).not.toBeInTheDocument());
    expect(screen.queryByText('Acknowledge')).not.toBeInTheDocument();
  });
});
