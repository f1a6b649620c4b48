import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterList } from '../../src/schemas/index.ts';
import { simulatePlot } from '../../src/simulator/index.ts';
import { auth, createPlotType, labelImages, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';

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

// On both catalogs: the uniqueness is written with one statement per batch of images, in each one's SQL.
for (const engine of ENGINES) {
  test(`near-duplicate chunks of a run are one tile, the odd plot is the most unique, and a cluster’s label is one undoable batch (${engine})`, async (t) => {
    const { app, tokens } = await buildTestApp(t, engine, { HYDRA_WORKERS: '1' });
    const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
    const upload = async (run: number, chunk: string, minute: number, png: Buffer) => {
      const where = {
        deployment: 'halld',
        plotType: KIND,
        run: String(run),
        chunk,
        time: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
      };
      return (await uploadPlot(app, tokens.ingest, where, png)).result!.image.id;
    };
    const good = async (run: number) => (await simulatePlot({ kind: KIND, run, seed: 5 })).png;
    // Run 300 in three chunks that look alike (the same picture), five other good runs, and a run whose second
    // chunk shows a dead region.
    const run300 = await good(300);
    const chunks = [
      await upload(300, '1', 0, run300),
      await upload(300, '2', 1, run300),
      await upload(300, '3', 2, run300),
    ];
    const others = [];
    for (let run = 301; run <= 305; run++) others.push(await upload(run, '1', run - 290, await good(run)));
    const before = await upload(306, '1', 20, await good(306));
    const fault = { mode: 'dead-region' as const, strength: 'normal' as const };
    const dead = await upload(
      306,
      '2',
      21,
      (await simulatePlot({ kind: KIND, run: 306, seed: 5, fault })).png,
    );

    const response = await app.inject({
      url: `/api/v1/plot-types/${plotType.id}/clusters?k=1`,
      headers: auth(tokens.viewer),
    });
    assert.equal(response.statusCode, 200, response.body);
    const [cluster] = response.json<ClusterList>().clusters as [ClusterList['clusters'][0]];
    const groups = new Map(cluster.groups.map((group) => [group.imageId, group.duplicateIds]));
    assert.deepEqual(
      groups.get(chunks[0]!),
      chunks.slice(1),
      "run 300's later chunks collapse into its first",
    );
    assert.equal(groups.size, 1 + others.length + 2, 'every other image is a tile of its own');
    for (const id of [...others, before, dead]) assert.deepEqual(groups.get(id), []);
    assert.equal(cluster.groups[0]!.imageId, dead, 'the most unique tile first');
    assert.equal(cluster.groups[0]!.uniqueness, 1);

    // The Labeler's "most unique" order reads the scores the clustering wrote.
    const page = await app.inject({
      url: `/api/v1/labels?plotTypeId=${plotType.id}&sort=most-unique&limit=2`,
      headers: auth(tokens.viewer),
    });
    assert.equal(page.statusCode, 200, page.body);
    const items = page.json<{ items: Array<{ imageId: number; uniqueness: number | null }> }>().items;
    assert.equal(items[0]!.imageId, dead);
    assert.equal(items[0]!.uniqueness, 1);
    assert.ok(items[1]!.uniqueness! < 1);

    // Labeling the cluster is one batch (POST /labels answers its id), which the Labeler's undo takes back whole.
    const labeled = await app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: auth(tokens.labeler),
      payload: { imageIds: cluster.imageIds, class: 'Good' },
    });
    assert.equal(labeled.statusCode, 201, labeled.body);
    const { batchId, items: labels } = labeled.json<{ batchId: number; items: Array<{ imageId: number }> }>();
    assert.deepEqual(
      labels.map((label) => label.imageId).sort((a, b) => a - b),
      [...cluster.imageIds].sort((a, b) => a - b),
    );
    assert.equal((await app.catalog.labels.currentLabels(plotType.id)).length, cluster.size);
    const undone = await app.inject({
      method: 'POST',
      url: `/api/v1/labels/batches/${batchId}/undo`,
      headers: auth(tokens.labeler),
    });
    assert.equal(undone.statusCode, 200, undone.body);
    assert.deepEqual(await app.catalog.labels.currentLabels(plotType.id), []);
  });
}
