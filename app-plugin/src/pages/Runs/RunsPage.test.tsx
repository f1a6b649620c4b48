import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunsSummary } from '@hydra/plugin-kit/client';
import { api, hydra, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

const FIRST_RUN = 1000;
const summary = () => api<RunsSummary>('viewer', 'GET', `/runs/summary?deployment=${hydra.deployment}`);

describe('Runs page', () => {
  it('says it is loading, then shows the seeded run with a cell per plot type that has images', async () => {
    renderPage('/runs');
    expect(screen.getByText('Loading the runs…')).toBeInTheDocument();
    const { runs, plotTypes } = await summary();
    const run = runs.find((r) => r.number === FIRST_RUN)!;
    const row = await screen.findByTestId(testIds.runs.row(FIRST_RUN));
    for (const cell of run.cells) {
      const shown = within(row).getByTestId(testIds.runs.cell(FIRST_RUN, cell.plotTypeId));
      expect(shown).toHaveAttribute('data-severity', cell.worstSeverity ?? 'none');
      expect(shown).toHaveTextContent(cell.worstVerdict ?? 'no verdict');
    }
    // A plot type without images in the run has an empty cell, and every plot type has its column.
    expect(run.cells.length).toBeLessThan(plotTypes.length);
    expect(screen.getAllByRole('columnheader')).toHaveLength(5 + plotTypes.length);
  });

  it('says a run range without runs has none', async () => {
    renderPage('/runs');
    const from = await screen.findByLabelText('Runs run from');
    fireEvent.change(from, { target: { value: '1' } });
    fireEvent.blur(from);
    const to = screen.getByLabelText('Runs run to');
    fireEvent.change(to, { target: { value: '2' } });
    fireEvent.blur(to);
    expect(await screen.findByTestId(testIds.runs.empty)).toHaveTextContent(
      `No run of ${hydra.deployment} in this range.`
    );
  });

  it('reads the deployment from the URL, and says the server does not know it', async () => {
    renderPage('/runs?deployment=nowhere');
    expect(await screen.findByTestId(testIds.runs.error)).toHaveTextContent('nowhere');
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/runs', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.runs.error)).toHaveTextContent('Cannot reach');
  });

  it('opens a cell as the run’s plots in Browse', async () => {
    const { runs } = await summary();
    const cell = runs.find((r) => r.number === FIRST_RUN)!.cells[0]!;
    renderPage('/runs');
    fireEvent.click(await screen.findByTestId(testIds.runs.cell(FIRST_RUN, cell.plotTypeId)));
    expect(await screen.findByTestId(testIds.browse.plot(FIRST_RUN, cell.plotTypeId))).toHaveAttribute(
      'data-image-id',
      String(cell.latestImageId)
    );
  });
});
