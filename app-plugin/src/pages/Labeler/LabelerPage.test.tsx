import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlotTypeList } from '@hydra/inference-server/api';
import type { HistoryLabel, QueueCount, QueuePage } from '@hydra/plugin-kit/client';
// global setup registers it with no image (EMPTY_PLOT_TYPE there).
const EMPTY_PLOT_TYPE = 'DIRC_hits';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

const plotTypeId = async (name: string) =>
  (await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`)).items.find(
    (p) => p.name === name
  )!.id;

/** An image's label history on the server, newest first. */
const historyOf = async (imageId: number) =>
  (await api<{ items: HistoryLabel[] }>('viewer', 'GET', `/images/${imageId}/labels`)).items;

/** Clicks the image's cell, gives it the second class (Bad) with its hotkey, and applies. */
async function applyBad(imageId: number) {
  fireEvent.click(await screen.findByTestId(testIds.labeler.cell(imageId)));
  await act(async () => {
    fireEvent.keyDown(window, { key: '2' });
  });
  expect(screen.getByTestId(testIds.labeler.pending)).toHaveTextContent('1');
  fireEvent.click(screen.getByTestId(testIds.labeler.apply));
  await waitFor(() => expect(screen.getByTestId(testIds.labeler.status)).toHaveTextContent('Applied 1 label (Bad)'));
}

// jsdom lays nothing out: give elements a size, so the virtualized grid renders its first screen as a browser would.
beforeAll(() => {
  for (const [property, size] of [
    ['offsetWidth', 1200],
    ['offsetHeight', 800],
    ['clientWidth', 1200],
    ['clientHeight', 800],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => size });
  }
});

describe('Labeler page', () => {
  it('says it is loading, then shows the linked plot type’s images as thumbnails with the palette', async () => {
    renderPage('/labeler?plotType=CDC_occupancy');
    expect(screen.getByText('Loading deployments and plot types…')).toBeInTheDocument();
    const cdc = await plotTypeId('CDC_occupancy');
    const queue = await api<QueuePage>('viewer', 'GET', `/labels?plotTypeId=${cdc}`);
    const { total } = await api<QueueCount>('viewer', 'GET', `/labels/count?plotTypeId=${cdc}`);
    expect(total).toBeGreaterThan(0);
    expect(await screen.findByTestId(testIds.labeler.cell(queue.items[0]!.imageId))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.labeler.total)).toHaveTextContent(`${total} image`);
    expect(screen.getByTestId(testIds.viewer.override('Good'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.labeler.apply)).toBeDisabled();
    expect(screen.queryByTestId(testIds.rights)).not.toBeInTheDocument();
  });

  it('counts the pending labels of a click selection and a hotkey, and Apply writes them', async () => {
    renderPage('/labeler?plotType=BCAL_occupancy');
    const queue = await api<QueuePage>('viewer', 'GET', `/labels?plotTypeId=${await plotTypeId('BCAL_occupancy')}`);
    const first = queue.items[0]!;
    await applyBad(first.imageId);
    expect((await historyOf(first.imageId))[0]).toMatchObject({ class: 'Bad', user: 'test-labeler' });
  });

  it('labels as the Grafana user the proxy names, and after a reload Ctrl+Z still undoes that user’s last Apply', async () => {
    const first = (await api<QueuePage>('viewer', 'GET', `/labels?plotTypeId=${await plotTypeId('FCAL_occupancy')}`))
      .items[0]!;
    const current = async () => (await historyOf(first.imageId)).filter((label) => label.supersededAt === null);
    const before = await current();
    const view = renderPage('/labeler?plotType=FCAL_occupancy', { grafanaUser: 'alice' });
    expect(await screen.findByTestId(testIds.actingAs)).toHaveTextContent('You act as alice');
    await applyBad(first.imageId);
    expect((await historyOf(first.imageId))[0]).toMatchObject({ class: 'Bad', user: 'alice' });

    view.unmount();
    renderPage('/labeler?plotType=FCAL_occupancy', { grafanaUser: 'alice' });
    await waitFor(() => expect(screen.getByTestId(testIds.labeler.undo)).toBeEnabled());
    await act(async () => {
      fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    });
    await waitFor(() => expect(screen.getByTestId(testIds.labeler.status)).toHaveTextContent('Undone: 1 label'));
    expect(await current()).toEqual(before);
  });

  it('says a plot type without images has none yet', async () => {
    renderPage(`/labeler?plotType=${EMPTY_PLOT_TYPE}`);
    expect(await screen.findByTestId(testIds.labeler.empty)).toHaveTextContent(`${EMPTY_PLOT_TYPE} has no images yet`);
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/labeler', { url: UNREACHABLE });
    expect(await screen.findByText('Cannot load the plot types')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.rights)).toHaveTextContent('Cannot reach');
  });

  it('hides the labelling actions from a viewer token and says why', async () => {
    renderPage('/labeler?plotType=CDC_occupancy', { role: 'viewer' });
    expect(await screen.findByTestId(testIds.rights)).toHaveTextContent('need the labeler role');
    expect(screen.getByTestId(testIds.rights)).toHaveTextContent('role is viewer');
    await screen.findByTestId(testIds.labeler.grid);
    expect(screen.queryByTestId(testIds.labeler.apply)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.viewer.override('Good'))).not.toBeInTheDocument();
  });

  it('editor mode lists the images in run order with their labels', async () => {
    renderPage('/labeler?plotType=BCAL_occupancy');
    const queue = await api<QueuePage>('viewer', 'GET', `/labels?plotTypeId=${await plotTypeId('BCAL_occupancy')}`);
    await screen.findByTestId(testIds.labeler.cell(queue.items[0]!.imageId));
    fireEvent.click(screen.getByTestId(testIds.labeler.editorMode));
    expect(await screen.findByText('By run')).toBeInTheDocument();
    expect(screen.getByText(/give a run range/)).toBeInTheDocument();
    const byRun = await api<QueuePage>(
      'viewer',
      'GET',
      `/labels?plotTypeId=${await plotTypeId('BCAL_occupancy')}&sort=run`
    );
    const cell = await screen.findByTestId(testIds.labeler.cell(byRun.items[0]!.imageId));
    expect(cell).toHaveTextContent(byRun.items[0]!.label?.class ?? 'unlabelled');
  });
});
