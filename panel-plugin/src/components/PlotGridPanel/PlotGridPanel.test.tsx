import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { dateTime, LoadingState, type DataFrame, type PanelData, type PanelProps } from '@grafana/data';
import type { Plot, PlotList } from '@hydra/inference-server/api';
import { apiUrlOf, HydraClient } from '@hydra/plugin-kit/client';
import { plotsFrame } from '@hydra/plugin-kit/frames';
import { installGrafanaRuntime, proxyBase, type RecordedRequest } from '@hydra/plugin-kit/testing';
import { beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { AlarmSound } from '../../alarm/alarmSound';
import { testIds } from '../../testIds';
import type { PanelOptions } from '../../types';
import { PlotGridPanel } from './PlotGridPanel';

const apiUrl = '/api/datasources/proxy/uid/hydra/hydra/api/v1';
const options: PanelOptions = {
  news: 'Cosmics until 14:00',
  historyLength: 5,
  speakNames: true,
  labelerUrl: '/a/hydra-dqm-app/labeler?imageId={imageId}',
};
const classes = [
  { name: 'Good', colour: '#73BF69', severity: 'ok' as const },
  { name: 'Bad', colour: '#F2495C', severity: 'alarm' as const },
];

/** A plot as GET /plots gives it; `verdict` undefined means no model, null means no image. */
function plot(id: number, name: string, verdict?: string | null, imageId = id * 10): Plot {
  const image =
    verdict === null
      ? null
      : {
          id: imageId,
          sha256: `sha-${imageId}`,
          deployment: 'halld',
          plotType: name,
          run: 1000,
          chunk: null,
          capturedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, imageId % 60)).toISOString(),
          receivedAt: new Date(Date.UTC(2025, 0, 1, 12)).toISOString(),
          format: 'png',
          bytes: 100,
          width: 800,
          height: 600,
          status: verdict ? ('classified' as const) : ('no_model' as const),
          error: null,
          fileUrl: `/api/v1/images/${imageId}/file`,
          thumbnailUrl: `/api/v1/images/${imageId}/thumbnail`,
        };
  return {
    plotType: {
      id,
      name,
      group: name.split('_')[0]!,
      title: name.replace('_', ' '),
      activeModelVersionId: verdict ? 1 : null,
    },
    state: verdict === null ? 'empty' : verdict ? 'classified' : 'no_model',
    classes: verdict ? classes : [],
    image,
    prediction: verdict
      ? {
          id: imageId,
          imageId,
          deployment: 'halld',
          plotType: name,
          run: 1000,
          modelVersionId: 1,
          model: 'cdc',
          modelVersion: 1,
          kind: 'classifier',
          probabilities: { Good: verdict === 'Good' ? 0.93 : 0.04, Bad: verdict === 'Bad' ? 0.96 : 0.07 },
          verdict,
          confidence: verdict === 'Good' ? 0.93 : 0.96,
          confirmed: true,
          beam: 'unknown',
          latencyMs: 20,
          capturedAt: image!.capturedAt,
          createdAt: image!.capturedAt,
        }
      : null,
  };
}

const frameOf = (items: Plot[]): DataFrame =>
  plotsFrame({ deployment: 'halld', items } satisfies PlotList, apiUrl, 'A');

function panelData(frames: DataFrame[], error?: string): PanelData {
  const to = dateTime();
  return {
    state: error ? LoadingState.Error : LoadingState.Done,
    series: frames,
    errors: error ? [{ message: error }] : undefined,
    timeRange: { from: to, to, raw: { from: 'now-1h', to: 'now' } },
  } as PanelData;
}

function props(data: PanelData, id = 1): PanelProps<PanelOptions> {
  return { data, options, id, width: 1200, height: 800 } as unknown as PanelProps<PanelOptions>;
}

const requests: RecordedRequest[] = [];
beforeEach(() => {
  window.localStorage.clear();
  requests.length = 0;
  installGrafanaRuntime({ requests });
});

describe('PlotGridPanel', () => {
  it('empty: says how to get plots', () => {
    render(<PlotGridPanel {...props(panelData([]))} />);
    expect(screen.getByTestId(testIds.emptyState)).toHaveTextContent(/Latest plots.*deployment/);
  });

  it('error: shows the message and where to look', () => {
    render(<PlotGridPanel {...props(panelData([], 'Cannot reach http://hydra:8080'))} />);
    expect(screen.getByTestId(testIds.errorState)).toHaveTextContent(/Cannot reach.*Test button/);
  });

  it('no model: a distinct card style, and "No model" in the legend', () => {
    render(<PlotGridPanel {...props(panelData([frameOf([plot(1, 'RF_timing'), plot(2, 'DIRC_hits', null)])]))} />);
    expect(screen.getByTestId(testIds.card('RF_timing'))).toHaveAttribute('data-verdict', 'No model');
    expect(screen.getByTestId(testIds.card('RF_timing'))).toHaveTextContent('No model');
    expect(screen.getByTestId(testIds.card('DIRC_hits'))).toHaveTextContent('No image yet');
    expect(screen.getByTestId(testIds.legendItem('No model'))).toHaveTextContent('No model 1');
  });

  it('mixed verdicts: Bad plots on top, legend counts, colour borders, a legend click filters', () => {
    const frame = frameOf([
      plot(1, 'CDC_occupancy', 'Good'),
      plot(2, 'FCAL_occupancy', 'Bad'),
      plot(3, 'BCAL_occupancy', 'Good'),
      plot(4, 'RF_timing'),
    ]);
    render(<PlotGridPanel {...props(panelData([frame]))} />);
    const bad = screen.getByTestId(testIds.badSection);
    expect(within(bad).getByTestId(testIds.card('FCAL_occupancy'))).toHaveStyle({ borderColor: '#F2495C' });
    expect(within(screen.getByTestId(testIds.grid)).queryByTestId(testIds.card('FCAL_occupancy'))).toBeNull();
    expect(screen.getByTestId(testIds.legendItem('Good'))).toHaveTextContent('Good 2');
    expect(screen.getByTestId(testIds.legendItem('Bad'))).toHaveTextContent('Bad 1');
    expect(screen.getByTestId(testIds.header.run)).toHaveTextContent('Run: 1000');
    expect(screen.getByTestId(testIds.header.news)).toHaveTextContent('Cosmics until 14:00');

    fireEvent.click(screen.getByTestId(testIds.legendItem('Good')));
    expect(screen.queryByTestId(testIds.card('FCAL_occupancy'))).toBeNull();
    expect(screen.getByTestId(testIds.card('CDC_occupancy'))).toBeInTheDocument();
    fireEvent.change(screen.getByTestId(testIds.filters.text), { target: { value: 'bcal' } });
    expect(screen.queryByTestId(testIds.card('CDC_occupancy'))).toBeNull();
    expect(screen.getByTestId(testIds.card('BCAL_occupancy'))).toBeInTheDocument();
  });

  it('a Bad plot arrives: the alarm fires once, not for plots already Bad, never twice for one image', () => {
    const play = vi.spyOn(AlarmSound.prototype, 'play').mockReturnValue(true);
    vi.spyOn(AlarmSound.prototype, 'unlocked', 'get').mockReturnValue(true);
    const start = [plot(1, 'CDC_occupancy', 'Good'), plot(2, 'FCAL_occupancy', 'Bad')];
    const { rerender } = render(<PlotGridPanel {...props(panelData([frameOf(start)]))} />);
    expect(play).not.toHaveBeenCalled();

    const turnedBad = [plot(1, 'CDC_occupancy', 'Bad', 11), plot(2, 'FCAL_occupancy', 'Bad')];
    rerender(<PlotGridPanel {...props(panelData([frameOf(turnedBad)]))} />);
    expect(play).toHaveBeenCalledTimes(1);
    expect(play).toHaveBeenCalledWith('CDC occupancy is Bad');
    expect(screen.getByTestId(testIds.alarm.banner)).toHaveTextContent('CDC occupancy: Bad');

    rerender(<PlotGridPanel {...props(panelData([frameOf([...turnedBad])]))} />);
    expect(play).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId(testIds.alarm.acknowledge));
    expect(screen.queryByTestId(testIds.alarm.banner)).toBeNull();
    vi.restoreAllMocks();
  });

  it('asks the user to enable sound until they interact (autoplay rule)', () => {
    render(<PlotGridPanel {...props(panelData([frameOf([plot(1, 'CDC_occupancy', 'Good')])]))} />);
    expect(screen.getByTestId(testIds.alarm.enableSound)).toHaveTextContent('Click to enable sound');
  });

  it('hidden plots are remembered for the user across panel reloads', () => {
    const data = panelData([frameOf([plot(1, 'CDC_occupancy', 'Good'), plot(2, 'TOF_timing', 'Good')])]);
    const { unmount } = render(<PlotGridPanel {...props(data, 7)} />);
    fireEvent.click(screen.getByTestId(testIds.cardHide('TOF_timing')));
    expect(screen.queryByTestId(testIds.card('TOF_timing'))).toBeNull();
    unmount();
    render(<PlotGridPanel {...props(data, 7)} />);
    expect(screen.queryByTestId(testIds.card('TOF_timing'))).toBeNull();
    expect(screen.getByTestId(testIds.card('CDC_occupancy'))).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(testIds.filters.showHidden));
    expect(screen.getByTestId(testIds.card('TOF_timing'))).toBeInTheDocument();
  });

  it('keyboard: arrows move, Enter opens the viewer, Escape closes it', async () => {
    render(
      <PlotGridPanel
        {...props(panelData([frameOf([plot(1, 'CDC_occupancy', 'Good'), plot(2, 'TOF_timing', 'Good')])]))}
      />
    );
    const panel = screen.getByTestId(testIds.panel);
    fireEvent.keyDown(panel, { key: 'ArrowRight' });
    fireEvent.keyDown(panel, { key: 'Enter' });
    expect(await screen.findByTestId(testIds.viewer.root)).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent('TOF timing');
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId(testIds.viewer.root)).toBeNull());
  });
});

/** The panel on what the data source's "Latest plots" query returns: the real server's plots through the proxy. */
async function renderServerPlots(apiToken: string): Promise<PlotList> {
  const hydra = inject('hydra');
  installGrafanaRuntime({
    requests,
    proxy: { uid: 'hydra', jsonData: { url: hydra.url }, secureJsonData: { apiToken } },
  });
  const client = new HydraClient(apiUrlOf(proxyBase('hydra')));
  const plots = await client.plots(hydra.deployment);
  render(<PlotGridPanel {...props(panelData([plotsFrame(plots, client.apiUrl, 'A')]))} />);
  return plots;
}

describe('the header against the real inference server', () => {
  it("shows the server's current news item instead of the panel's news option", async () => {
    const hydra = inject('hydra');
    const posted = await fetch(`${hydra.url}/api/v1/news`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hydra.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Magnet quench recovery until 18:00' }),
    });
    expect(posted.status).toBe(201);
    const { id } = await posted.json();
    try {
      await renderServerPlots(hydra.tokens.viewer);
      await waitFor(() =>
        expect(screen.getByTestId(testIds.header.news)).toHaveTextContent('Magnet quench recovery until 18:00')
      );
      expect(requests.some((r) => r.url.endsWith(`/news?deployment=${hydra.deployment}`))).toBe(true);
    } finally {
      await fetch(`${hydra.url}/api/v1/news/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${hydra.tokens.admin}` },
      });
    }
  });
});

describe('the viewer against the real inference server', () => {
  it('an empty reference names the plot and says how to set one', async () => {
    const plots = await renderServerPlots(inject('hydra').tokens.viewer);
    const { title } = plots.items.find((p) => p.plotType.name === 'FCAL_occupancy')!.plotType;
    fireEvent.click(screen.getByTestId(testIds.card('FCAL_occupancy')));
    const reference = await screen.findByTestId(testIds.viewer.reference);
    await waitFor(() => expect(reference).toHaveTextContent(`${title} has no reference image yet`));
    expect(reference).toHaveTextContent('click "Set as reference" (role expert)');
  });

  it("beside Grad-CAM, the anomaly figure says how to train the plot type's autoencoder while it has none", async () => {
    const plots = await renderServerPlots(inject('hydra').tokens.viewer);
    const { id } = plots.items.find((p) => p.plotType.name === 'FCAL_occupancy')!.plotType;
    fireEvent.click(screen.getByTestId(testIds.card('FCAL_occupancy')));
    const score = await screen.findByTestId(testIds.viewer.anomalyScore);
    await waitFor(() =>
      expect(score).toHaveTextContent(`has no autoencoder: train one with POST /api/v1/plot-types/${id}/autoencoder`)
    );
    expect(screen.queryByTestId(testIds.viewer.anomalyMap)).toBeNull();
    // The plot type has no reference either: no distance from one.
    expect(screen.getByTestId(testIds.viewer.referenceDistance)).toHaveTextContent(
      'No distance from a reference: the plot type had none when this plot was judged.'
    );
    expect(
      requests.some((r) =>
        r.url.endsWith(`/images/${plots.items.find((p) => p.plotType.id === id)!.image!.id}/anomaly?format=json`)
      )
    ).toBe(true);
  });

  it('sends the label, which the server stores; a digit picks the class', async () => {
    const hydra = inject('hydra');
    await renderServerPlots(hydra.tokens.labeler);
    fireEvent.click(screen.getByTestId(testIds.card('CDC_occupancy')));
    const button = await screen.findByTestId(testIds.viewer.override('Bad'));
    fireEvent.click(button);
    expect(await screen.findByTestId(testIds.viewer.status)).toHaveTextContent('Labelled Bad (override)');
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe('/api/datasources/proxy/uid/hydra/hydra/api/v1/labels');
    expect(post?.data).toEqual({ imageIds: [expect.any(Number)], class: 'Bad', source: 'override' });

    await act(async () => {
      fireEvent.keyDown(window, { key: '1' });
    });
    // The second label is stored once the viewer says so; the request alone may still be in flight.
    await waitFor(() =>
      expect(screen.getByTestId(testIds.viewer.status)).toHaveTextContent('Labelled Good (override)')
    );
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    const stored = await fetch(`${hydra.url}/api/v1/labels?filter=labeled`, {
      headers: { authorization: `Bearer ${hydra.tokens.viewer}` },
    }).then((r) => r.json());
    const imageId = (post!.data as { imageIds: number[] }).imageIds[0];
    const label = stored.items.find((item: { imageId: number }) => item.imageId === imageId).label;
    expect(label).toMatchObject({ class: 'Good', source: 'override', user: 'test-labeler' });
  });
});
