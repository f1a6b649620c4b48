import { screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryList } from '@hydra/plugin-kit/client';
import { startHydraServer, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

/** A second server with no deployment at all, for the empty page. */
let bare: HydraServer;
beforeAll(async () => {
  bare = await startHydraServer('none', { HYDRA_AUTH: 'false' });
}, 90_000);
afterAll(() => bare?.stop());

describe('Summary page', () => {
  it('says it is loading, then shows each deployment’s figures as the server counts them', async () => {
    renderPage('/summary');
    expect(screen.getByText('Loading the summary…')).toBeInTheDocument();
    const { items } = await api<SummaryList>('viewer', 'GET', '/summary');
    const halld = items.find((i) => i.deployment === hydra.deployment)!;
    const card = await screen.findByTestId(testIds.summary.card(hydra.deployment));
    // The deployment's title, once the catalog has come (its name until then).
    await waitFor(() => expect(card).toHaveTextContent('Hall D (simulated)'));
    expect(card).toHaveTextContent(`${halld.activeModels}`);
    expect(card).toHaveTextContent(/Labeled\d+ of \d+/);
    expect(card).toHaveTextContent('Runs with a Bad plot');
    expect(halld.totalImages).toBeGreaterThan(0);
  });

  it('says there is nothing to sum up on a server without deployments', async () => {
    renderPage('/summary', { url: bare.url });
    expect(await screen.findByTestId(testIds.summary.empty)).toHaveTextContent('has no deployment');
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/summary', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.summary.error)).toHaveTextContent('Cannot reach');
  });
});
