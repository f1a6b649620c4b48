import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { NewsList } from '@hydra/plugin-kit/client';
import { api, renderPage, UNREACHABLE } from '../../../tests/renderApp';
import { testIds } from '../../testIds';

describe('News page', () => {
  it('says there is no news, then an admin posts a line and it is listed as the current one', async () => {
    renderPage('/news', { role: 'admin' });
    expect(screen.getByText('Loading the news…')).toBeInTheDocument();
    await screen.findByTestId(testIds.news.text);
    expect(await screen.findByTestId(testIds.news.empty)).toHaveTextContent('shows in the plot grid’s header');
    fireEvent.change(screen.getByTestId(testIds.news.text), { target: { value: 'Magnet ramp at 14:00' } });
    fireEvent.click(screen.getByTestId(testIds.news.post));
    const list = await waitFor(async () => {
      const news = await api<NewsList>('viewer', 'GET', '/news');
      expect(news.current?.text).toBe('Magnet ramp at 14:00');
      return news;
    });
    expect(await screen.findByTestId(testIds.news.item(list.current!.id))).toHaveTextContent('test-admin');
    fireEvent.click(screen.getByTestId(testIds.news.delete(list.current!.id)));
    await waitFor(() => expect(screen.queryByTestId(testIds.news.item(list.current!.id))).not.toBeInTheDocument());
  });

  it('shows a labeler the news without the form, and says posting needs the admin role', async () => {
    renderPage('/news', { role: 'labeler' });
    expect(await screen.findByTestId(testIds.rights)).toHaveTextContent(
      'posting and removing news need the admin role'
    );
    expect(screen.queryByTestId(testIds.news.post)).not.toBeInTheDocument();
  });

  it('says why when the server cannot be reached', async () => {
    renderPage('/news', { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.news.error)).toHaveTextContent('Cannot reach');
  });
});
