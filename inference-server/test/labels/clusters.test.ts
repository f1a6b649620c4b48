import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterList } from '../../src/schemas/index.ts';
import { simulatePlot } from '../../src/simulator/index.ts';
import { auth, createPlotType, labelImages, uploadPlot } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';

// Eight Good CDC occupancy plots and eight with no data (simulator seed 5): two kinds of picture no clustering can
// mix up, so the test is about the API, not about the embedding (bench:clusters measures that).
const KIND = 'CDC_occupancy';
const PER_CLASS = 8;

test("clusters of a plot type's unlabeled images, and labeling one labels exactly its members", async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_WORKERS: '1' });
  const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
  const truth = new Map<number, string>();
  for (let i = 0; i < 2 * PER_CLASS; i++) {
    const noData = i % 2 === 1;
    const plot = await simulatePlot({
      kind: KIND,
      run: 100 + i,
      seed: 5,
      ...(noData && { fault: { mode: 'no-data' as const, strength: 'normal' as const } }),
    });
    const where = { deployment: 'halld', plotType: KIND, run: String(plot.run) };
    truth.set(
      (await uploadPlot(app, tokens.ingest, where, plot.png)).result!.image.id,
      noData ? 'NoData' : 'Good',
    );
  }
  const clusters = async (query: string, expected = 200) => {
    const response = await app.inject({
      url: `/api/v1/plot-types/${plotType.id}/clusters?${query}`,
      headers: auth(tokens.viewer),
    });
    assert.equal(response.statusCode, expected, response.body);
    return response.json<ClusterList>();
  };

  const first = await clusters('k=2');
  assert.equal(first.images, 2 * PER_CLASS);
  assert.deepEqual(
    first.clusters.flatMap((cluster) => cluster.imageIds).sort((a, b) => a - b),
    [...truth.keys()].sort((a, b) => a - b),
    'every unlabeled image is in exactly one cluster',
  );
  for (const cluster of first.clusters) {
    const classes = new Set(cluster.imageIds.map((id) => truth.get(id)));
    assert.equal(classes.size, 1, `a pure cluster: ${JSON.stringify(cluster)}`);
    assert.ok(cluster.imageIds.includes(cluster.medoidImageId));
  }
  assert.deepEqual(await clusters('k=2'), first, 'the same images and seed give the same clusters');

  // The Labeler labels a cluster with its ids: exactly its members get the label, and leave the unlabeled set.
  const [labeled, rest] = first.clusters as [ClusterList['clusters'][0], ClusterList['clusters'][0]];
  const className = truth.get(labeled.medoidImageId)!;
  await labelImages(app, tokens.labeler, labeled.imageIds, className);
  const current = await app.catalog.labels.currentLabels(plotType.id);
  assert.deepEqual(
    current.map((label) => [label.image_id, label.class_name]).sort(([a], [b]) => Number(a) - Number(b)),
    labeled.imageIds.map((id) => [id, className]),
  );
  const after = await clusters('k=1');
  assert.deepEqual(
    after.clusters.map((cluster) => cluster.imageIds),
    [rest.imageIds],
  );

  // Bad requests say what to fix.
  const tooMany = await clusters('k=9', 400);
  assert.match(JSON.stringify(tooMany), /has 8 unlabeled images.*k must be at most that/);
  await clusters('k=0', 400);
  const unknown = await app.inject({
    url: '/api/v1/plot-types/999999/clusters',
    headers: auth(tokens.viewer),
  });
  assert.equal(unknown.statusCode, 404, unknown.body);
});
