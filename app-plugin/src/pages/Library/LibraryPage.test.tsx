import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ModelVersionList, PlotTypeList } from '@hydra/inference-server/api';
import type { Activation } from '@hydra/plugin-kit/client';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

// Global setup gives the first five simulator kinds the imported brightness model, active, and DIRC_hits nothing.
const WITH_MODEL = 'FCAL_occupancy';
const link = (plotType: string) => `/library?deployment=${hydra.deployment}&plotType=${plotType}`;

async function library(plotType: string) {
  const { items } = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  const id = items.find((p) => p.name === plotType)!.id;
  const versions = await api<ModelVersionList>('viewer', 'GET', `/models/${id}`);
  const history = await api<{ items: Activation[] }>('viewer', 'GET', `/models/${id}/activations`);
  return { versions: versions.items, history: history.items };
}

describe('Library page', () => {
  it('says it is loading, then lists the versions with the active one starred and the activation history', async () => {
    renderPage(link(WITH_MODEL), { role: 'expert' });
    expect(screen.getByText('Loading the model library…')).toBeInTheDocument();
    const { versions, history } = await library(WITH_MODEL);
    const active = versions.find((v) => v.status === 'active')!;
    const row = await screen.findByTestId(testIds.library.version(active.id));
    expect(within(row).getByLabelText('Active')).toBeInTheDocument();
    expect(row).toHaveTextContent(`v${active.version}`);
    expect(row).toHaveTextContent(active.inputShape.join('×'));
    expect(row).toHaveTextContent('imported');
    // The active version has nothing to promote, and cannot be retired.
    expect(within(row).queryByText('Promote')).not.toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Retire' })).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.library.history)).toHaveTextContent(history[0]!.reason);
    expect(screen.getByTestId(testIds.library.rollback)).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.library.agreement)).toBeInTheDocument();
    expect(screen.getByText('Train new version')).toBeInTheDocument();
  });

  it('says how to get a first model for a plot type that has none', async () => {
    renderPage(link('DIRC_hits'), { role: 'expert' });
    expect(await screen.findByTestId(testIds.library.empty)).toHaveTextContent('train a first version');
  });

  it('the train form says what is wrong before it asks the server', async () => {
    renderPage(link(WITH_MODEL), { role: 'expert' });
    fireEvent.click(await screen.findByText('Train new version'));
    fireEvent.change(screen.getByLabelText('Epochs'), { target: { value: '0' } });
    expect(screen.getByText('Epochs is a whole number from 1 to 500')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.library.trainStart)).toHaveAttribute('aria-disabled', 'true');
    fireEvent.change(screen.getByLabelText('Epochs'), { target: { value: '3' } });
    expect(screen.getByTestId(testIds.library.trainStart)).not.toHaveAttribute('aria-disabled', 'true');
  });

  it('says why when the server cannot be reached', async () => {
    renderPage(link(WITH_MODEL), { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.library.error)).toHaveTextContent('Cannot reach');
  });

  it('offers no training, promotion, rollback or retirement to a labeler token, and says why', async () => {
    renderPage(link(WITH_MODEL), { role: 'labeler' });
    expect(await screen.findByTestId(testIds.rights)).toHaveTextContent(
      'training, promotion, rollback and retirement need the expert role'
    );
    await screen.findByTestId(testIds.library.versions);
    await waitFor(() => expect(screen.queryByText('Loading the model library…')).not.toBeInTheDocument());
    for (const action of ['Train new version', 'Promote', 'Retire', 'Roll back']) {
      expect(screen.queryByText(action)).not.toBeInTheDocument();
    }
  });
});
