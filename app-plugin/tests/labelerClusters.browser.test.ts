// The Labeler's Clusters mode in Chromium: a plot type's unlabeled plots in clusters, one cluster labeled with a
// click and a confirmation, and exactly its members labeled on the server; the Undo of the view takes it back.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlotTypeInfo, PlotTypeList } from '@hydra/inference-server/api';
import type { ClusterList } from '@hydra/plugin-kit/client';
import { postPlot, type HydraServer } from '@hydra/plugin-kit/testing/server';
import { testIds } from '../src/testIds';
import {
  api,
  ARTIFACTS,
  closeSession,
  currentLabels,
  hydra,
  labelerStatus,
  openPage,
  openSession,
  tid,
  type Session,
} from './browserKit';

// A plot type of its own (no other browser test uses it), given the classes its plots show: six good runs and six
// with no data beside the one seeded plot.
const PLOT_TYPE = 'L1_trigger_rate';
const CLASSES = [
  { name: 'Good', colour: '#56a64b', severity: 'ok' },
  { name: 'NoData', colour: '#8e8e8e', severity: 'warn' },
];
let session: Session;
let plotTypeId = 0;

beforeAll(async () => {
  session = await openSession();
  await api<PlotTypeInfo>('admin', 'POST', '/plot-types', {
    deployment: hydra.deployment,
    name: PLOT_TYPE,
    classes: CLASSES,
  });
  const plotTypes = await api<PlotTypeList>('viewer', 'GET', `/plot-types?deployment=${hydra.deployment}`);
  plotTypeId = plotTypes.items.find((p) => p.name === PLOT_TYPE)!.id;
  for (let i = 0; i < 12; i++) {
    const fault = i % 2 ? { mode: 'no-data', strength: 'normal' as const } : undefined;
    await postPlot(hydra as unknown as HydraServer, { plotType: PLOT_TYPE, run: 6000 + i, seed: 60 + i, fault });
  }
}, 300_000);

afterAll(() => closeSession(session));

describe('the Labeler’s Clusters mode in Chromium', () => {
  it('labels one cluster after a confirmation stating its count: exactly its members get the label, and Undo takes it back', async () => {
    const page = await openPage(session, { page: 'labeler', search: `?plotType=${PLOT_TYPE}` });
    // The switch's label, as a user clicks it (the checkbox itself is drawn over by it).
    await page.click(`${tid(testIds.labeler.clustersMode)} + label`);
    await page.waitForSelector(tid(testIds.labeler.clusters));
    // What the view asked for: 13 unlabeled images, 4 a cluster at least, so 3 clusters, with the server's seed.
    const { clusters, images } = await api<ClusterList>('viewer', 'GET', `/plot-types/${plotTypeId}/clusters?k=3`);
    expect(images).toBe(13);
    const noData = clusters.find((cluster) => cluster.size === 6)!;
    expect(noData, JSON.stringify(clusters)).toBeDefined();
    const card = page.locator(tid(testIds.labeler.cluster(noData.medoidImageId)));
    expect(await card.locator(tid(testIds.labeler.clusterSize)).textContent()).toBe('6 images');
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img')].every((img) => img.complete)
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'labeler-clusters-dark.png'), fullPage: true });

    await card.locator(tid(testIds.labeler.clusterLabel('NoData'))).click();
    await page.waitForSelector('text=Label all 6 images of this cluster as NoData? Undo takes it back.');
    await page.getByRole('button', { name: 'Label 6 images' }).click();
    await labelerStatus(page, 'Applied 6 labels (NoData)');
    const labels = await currentLabels(plotTypeId);
    expect([...labels.keys()].sort((a, b) => a - b)).toEqual([...noData.imageIds].sort((a, b) => a - b));
    expect(new Set([...labels.values()].map((label) => label.class))).toEqual(new Set(['NoData']));
    // The labeled cluster leaves the view.
    await page.waitForSelector(tid(testIds.labeler.cluster(noData.medoidImageId)), { state: 'detached' });

    await page.click(tid(testIds.labeler.undo));
    await labelerStatus(page, 'Undone: 6 labels');
    expect((await currentLabels(plotTypeId)).size).toBe(0);
    await page.close();
  });
});
