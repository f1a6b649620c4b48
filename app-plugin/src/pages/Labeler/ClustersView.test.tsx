import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PlotTypeInfo, PlotTypeList } from '@hydra/inference-server/api';
import type { ClusterList } from '@hydra/plugin-kit/client';
import { postPlot, seedOwnDeployment } from '@hydra/plugin-kit/testing/server';
import { api, hydra, renderPage, UNREACHABLE, type Role } from '../../../tests/renderApp';
import { testIds } from '../../testIds';
import { ClusterCard } from './ClusterCard';
import { ClustersView } from './ClustersView';

// A deployment of its own: L1 trigger rate plots, four good and four with no data beside the seeded one, in two
// clusters no embedding can mix up (the server's bench measures the embedding; this is about the view).
// Named to sort after the shared deployment: the pages other test files render open the first one.
const DEPLOYMENT = 'labeler-clusters';
const KIND = 'L1_trigger_rate';
const CLASSES = [
  { name: 'Good', colour: '#56a64b', severity: 'ok' as const },
  { name: 'NoData', colour: '#8e8e8e', severity: 'warn' as const },
];
let plotType: PlotTypeInfo;
let empty: PlotTypeInfo;

beforeAll(async () => {
  const { server } = await seedOwnDeployment(hydra, DEPLOYMENT, { withModel: 0, run: 7000 });
  for (let i = 0; i < 8; i++) {
    const fault = i % 2 ? { mode: 'no-data', strength: 'normal' as const } : undefined;
    await postPlot(server, { plotType: KIND, run: 7001 + i, seed: 40 + i, fault });
  }
  plotType = await api<PlotTypeInfo>('admin', 'POST', '/plot-types', {
    deployment: DEPLOYMENT,
    name: KIND,
    classes: CLASSES,
  });
  const shared = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  empty = shared.items.find((p) => p.name === 'DIRC_hits')!;
});

function renderView(of: PlotTypeInfo, { role = 'labeler', url }: { role?: Role; url?: string } = {}) {
  const onLabel = vi.fn();
  const view = (
    <ClustersView plotType={of} reloadKey={0} busy={false} canUndo={false} onUndo={() => {}} onLabel={onLabel} />
  );
  renderPage('/labeler', { role, url, element: view });
  return onLabel;
}

describe('Clusters view', () => {
  it('says it is clustering, then lists the clusters with medoid, size and sample; labeling one confirms its count', async () => {
    const onLabel = renderView(plotType);
    expect(screen.getByText(`Clustering the unlabeled images of ${KIND}…`)).toBeInTheDocument();
    await screen.findByTestId(testIds.labeler.clusters);
    const list = await api<ClusterList>('viewer', 'GET', `/plot-types/${plotType.id}/clusters?k=2`);
    expect(list.images).toBe(9);
    for (const cluster of list.clusters) {
      const card = screen.getByTestId(testIds.labeler.cluster(cluster.medoidImageId));
      expect(within(card).getByTestId(testIds.labeler.clusterSize)).toHaveTextContent(`${cluster.size} images`);
      expect(within(card).getByAltText(`medoid, image ${cluster.medoidImageId}`)).toBeInTheDocument();
    }
    const [largest] = list.clusters as [ClusterList['clusters'][number]];
    const card = screen.getByTestId(testIds.labeler.cluster(largest.medoidImageId));
    fireEvent.click(within(card).getByTestId(testIds.labeler.clusterLabel('NoData')));
    const confirm = await screen.findByRole('button', { name: `Label ${largest.size} images` });
    expect(
      screen.getByText(`Label all ${largest.size} images of this cluster as NoData? Undo takes it back.`)
    ).toBeInTheDocument();
    fireEvent.click(confirm);
    // Exactly the cluster's members, the ids the server listed.
    await waitFor(() => expect(onLabel).toHaveBeenCalledWith(largest.imageIds, 'NoData'));
  });

  it('collapses near-duplicate chunks of a run into one tile, and shows each image when the toggle is off', () => {
    // A cluster of medoid 1, image 2 with two later chunks of its run (3, 4) that look alike, and image 5.
    const cluster = {
      size: 5,
      medoidImageId: 1,
      imageIds: [1, 2, 3, 4, 5],
      groups: [
        { imageId: 2, uniqueness: 0.9, duplicateIds: [3, 4] },
        { imageId: 5, uniqueness: 0.5, duplicateIds: [] },
        { imageId: 1, uniqueness: 0.1, duplicateIds: [] },
      ],
    };
    const card = (collapse: boolean) => (
      <ClusterCard
        apiUrl={hydra.url}
        cluster={cluster}
        classes={CLASSES}
        collapse={collapse}
        mayLabel
        busy={false}
        onLabel={() => {}}
      />
    );
    const { unmount } = renderPage('/labeler', { element: card(true) });
    expect(screen.getByTestId(testIds.labeler.clusterTile(2))).toHaveTextContent('+2 alike');
    expect(screen.getByTestId(testIds.labeler.clusterTile(5))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.labeler.clusterTile(3))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.labeler.clusterTile(1))).not.toBeInTheDocument(); // the medoid, shown apart
    expect(screen.getByText('3 tiles after near-duplicates collapse')).toBeInTheDocument();
    unmount();
    renderPage('/labeler', { element: card(false) });
    for (const id of [2, 3, 4, 5]) {
      expect(screen.getByTestId(testIds.labeler.clusterTile(id))).not.toHaveTextContent('alike');
    }
  });

  it('says a plot type with no unlabeled image has nothing to cluster', async () => {
    renderView(empty);
    expect(await screen.findByTestId(testIds.labeler.empty)).toHaveTextContent('DIRC_hits has no unlabeled image');
  });

  it('says why when the server cannot be reached', async () => {
    renderView(plotType, { url: UNREACHABLE });
    expect(await screen.findByTestId(testIds.labeler.error)).toHaveTextContent('Cannot cluster the images');
  });

  it('shows a viewer the clusters without the label action', async () => {
    renderView(plotType, { role: 'viewer' });
    await screen.findByTestId(testIds.labeler.clusters);
    expect(screen.queryByTestId(testIds.labeler.clusterLabel('Good'))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.labeler.undo)).not.toBeInTheDocument();
  });
});
