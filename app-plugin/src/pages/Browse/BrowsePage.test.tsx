import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunPlots } from '@hydra/plugin-kit/client';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

const FIRST_RUN = 1000;
/** An older run than the seeded one, with one plot, for stepping with [ and comparing. */
const OLDER_RUN = 990;
const plots = (run: number) => api<RunPlots>('viewer', 'GET', `/runs/${run}/plots?deployment=${hydra.deployment}`);

beforeAll(async () => {
  await postPlot(hydra as unknown as HydraServer, { plotType: 'CDC_occupancy', run: OLDER_RUN, seed: 7 });
});

describe('Browse page', () => {
  it('says it is loading, then shows each plot type’s latest plot of the run with its verdict', async () => {
    renderPage(`/browse?run=${FIRST_RUN}`);
    expect(screen.getByText('Loading the run’s plots…')).toBeInTheDocument();
    const { items } = await plots(FIRST_RUN);
    for (const item of items.filter((i) => i.image)) {
      const figure = await screen.findByTestId(testIds.browse.plot(FIRST_RUN, item.plotType.id));
      expect(figure).toHaveAttribute('data-image-id', String(item.image!.id));
      expect(figure.querySelector('img')!.getAttribute('src')).toBe(
        `/api/plugin-proxy/hydra-dqm-app/hydra/api/v1/images/${item.image!.id}/thumbnail?width=280`
      );
      if (item.prediction) {
        expect(figure).toHaveTextContent(item.prediction.verdict);
      }
    }
    // No reference is set in the seeded deployment; plot types without a plot in the run are counted, not shown.
    const withImage = items.filter((i) => i.image).length;
    expect(screen.getAllByText(/^No reference set for/).length).toBe(withImage);
    expect(withImage).toBeLessThan(items.length);
    const without = items.length - withImage;
    expect(
      screen.getByText(`${without} plot type${without === 1 ? ' has' : 's have'} no plot in this run.`)
    ).toBeInTheDocument();
  });

  it('compares two runs side by side, and says which run has no images', async () => {
    renderPage(`/browse?run=${FIRST_RUN}&compare=${OLDER_RUN}`);
    const older = (await plots(OLDER_RUN)).items.find((i) => i.image)!;
    expect(await screen.findByTestId(testIds.browse.plot(OLDER_RUN, older.plotType.id))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.browse.plot(FIRST_RUN, older.plotType.id))).toBeInTheDocument();

    renderPage(`/browse?run=${FIRST_RUN}&compare=4242`);
    expect(await screen.findByTestId(testIds.browse.empty)).toHaveTextContent(
      `Run 4242 has no images in deployment ${hydra.deployment}.`
    );
  });

  it('starts on the newest run and steps to the previous one with [', async () => {
    renderPage('/browse');
    const runs = await api<{ items: Array<{ number: number }> }>(
      'viewer',
      'GET',
      `/runs?deployment=${hydra.deployment}`
    );
    const [newest, previous] = runs.items.map((r) => r.number);
    await waitFor(() => expect(screen.getAllByText(`Run ${newest}`).length).toBeGreaterThan(0));
    fireEvent.keyDown(window, { key: '[' });
    await waitFor(() => expect(screen.getAllByText(`Run ${previous}`).length).toBeGreaterThan(0));
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/browse', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.browse.error)).toHaveTextContent('Cannot reach');
  });
});
