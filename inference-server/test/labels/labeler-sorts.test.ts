import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LabelCount, LabeledImageList, PredictionList, Problem } from '../../src/schemas/index.ts';
import { auth, labelImages } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { classifiedPlots } from './labeler-helpers.ts';

interface Expected {
  imageId: number;
  confidence: number;
  margin: number;
  entropy: number;
  mistakenness: number | null;
}

for (const engine of ENGINES) {
  describe(`labeler queue (${engine})`, () => {
    test('sorts rank the images by scores of their latest stored verdicts, and total counts every match', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const { plotTypeId, imageIds } = await classifiedPlots(app, tokens, [0.95, 0.7, 0.56, 0.45, 0.3, 0.05]);
      // Two images get a newer verdict with three classes, where margin and entropy rank differently: only the
      // latest verdict of an image counts.
      const [older] = await app.catalog.predictions
        .latestForImages([imageIds[0]!])
        .then((m) => [...m.values()]);
      await app.catalog.predictions.record(
        [
          { imageId: imageIds[0]!, scores: { Good: 0.5, Bad: 0.45, Noise: 0.05 } },
          { imageId: imageIds[5]!, scores: { Good: 0.4, Bad: 0.3, Noise: 0.3 } },
        ].map(({ imageId, scores }) => ({
          ...older!,
          imageId,
          scores,
          verdict: 'Good',
          confidence: Math.max(...Object.values(scores)),
          createdAt: Date.now(),
        })),
      );
      await labelImages(app, tokens.labeler, [imageIds[1]!], 'Bad');
      await labelImages(app, tokens.labeler, [imageIds[4]!], 'Bad');

      // The scores, computed here from the stored predictions and labels.
      const predictions = (
        await app.inject({ url: '/api/v1/predictions?limit=1000', headers: auth(tokens.viewer) })
      ).json<PredictionList>().items;
      const latest = new Map<number, (typeof predictions)[number]>();
      for (const p of [...predictions].sort((a, b) => a.id - b.id)) latest.set(p.imageId, p);
      const labels = new Map([
        [imageIds[1]!, 'Bad'],
        [imageIds[4]!, 'Bad'],
      ]);
      const expected: Expected[] = imageIds.map((imageId) => {
        const p = latest.get(imageId)!;
        const values = Object.values(p.probabilities).sort((a, b) => b - a);
        const label = labels.get(imageId);
        return {
          imageId,
          confidence: p.confidence,
          margin: values[0]! - (values[1] ?? 0),
          entropy: -values.reduce((sum, v) => (v > 0 ? sum + v * Math.log(v) : sum), 0),
          mistakenness: label !== undefined && label !== p.verdict ? p.confidence : null,
        };
      });
      const ranked = (key: keyof Expected, direction: 1 | -1) =>
        expected
          .filter((e) => e[key] !== null)
          .sort(
            (a, b) =>
              direction * ((a[key] as number) - (b[key] as number)) || direction * (a.imageId - b.imageId),
          )
          .map((e) => e.imageId);
      const queue = async (query: string) => {
        const response = await app.inject({ url: `/api/v1/labels?${query}`, headers: auth(tokens.viewer) });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<LabeledImageList>();
      };
      const count = async (query: string) => {
        const response = await app.inject({
          url: `/api/v1/labels/count?${query}`,
          headers: auth(tokens.viewer),
        });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<LabelCount>().total;
      };
      const order = async (sort: string) =>
        (await queue(`plotTypeId=${plotTypeId}&sort=${sort}`)).items.map((item) => item.imageId);

      assert.deepEqual(await order('least-confident'), ranked('confidence', 1));
      assert.deepEqual(await order('smallest-margin'), ranked('margin', 1));
      assert.deepEqual(await order('highest-entropy'), ranked('entropy', -1));
      assert.deepEqual(await order('most-mistaken'), ranked('mistakenness', -1));
      assert.notDeepEqual(
        ranked('margin', 1),
        ranked('entropy', 1).reverse(),
        'the data tells margin from entropy',
      );
      assert.deepEqual(await order('newest'), [...imageIds].reverse());
      assert.deepEqual(await order('run'), imageIds);

      const page = await queue(`plotTypeId=${plotTypeId}&sort=least-confident&limit=2&offset=1`);
      assert.deepEqual(
        page.items.map((i) => i.imageId),
        ranked('confidence', 1).slice(1, 3),
      );
      assert.equal(
        await count(`plotTypeId=${plotTypeId}&sort=least-confident`),
        imageIds.length,
        'the count is of every match, not of a page',
      );
      assert.equal(
        await count(`plotTypeId=${plotTypeId}&sort=most-mistaken`),
        ranked('mistakenness', -1).length,
        'an order ranks and counts only the images that have its score',
      );
      assert.equal(
        (await app.inject({ url: '/api/v1/labels/count?sort=least-confident', headers: auth(tokens.viewer) }))
          .statusCode,
        400,
      );
      const first = page.items[0]!;
      const scores = expected.find((e) => e.imageId === first.imageId)!;
      assert.ok(
        Math.abs(first.margin! - scores.margin) < 1e-9 && Math.abs(first.entropy! - scores.entropy) < 1e-9,
      );
      assert.equal(first.fileUrl, `/api/v1/images/${first.imageId}/file`);

      const disagreeing = await queue(`plotTypeId=${plotTypeId}&filter=disagreement`);
      assert.deepEqual(disagreeing.items.map((i) => i.imageId).sort(), ranked('mistakenness', -1).sort());
      const labeled = await queue(`plotTypeId=${plotTypeId}&labeledAs=Bad`);
      assert.deepEqual(
        labeled.items.map((i) => i.imageId),
        [imageIds[4]!, imageIds[1]!],
      );
      assert.equal(labeled.items[0]!.label!.batchId !== null, true);
      assert.equal(await count(`plotTypeId=${plotTypeId}&labeledBy=test-expert`), 0);
      assert.equal(await count(`plotTypeId=${plotTypeId}&filter=unlabeled`), imageIds.length - 2);
      const unsure = await queue(`plotTypeId=${plotTypeId}&maxConfidence=0.6`);
      assert.deepEqual(
        unsure.items.map((i) => i.imageId).sort(),
        expected
          .filter((e) => e.confidence < 0.6)
          .map((e) => e.imageId)
          .sort(),
      );
      const runs = await queue(`plotTypeId=${plotTypeId}&runFrom=101&runTo=102`);
      assert.deepEqual(runs.items.map((i) => i.run).sort(), [101, 102]);

      const reversed = await app.inject({
        url: '/api/v1/labels?runFrom=5&runTo=4',
        headers: auth(tokens.viewer),
      });
      assert.equal(reversed.statusCode, 400);
      assert.match(reversed.json<Problem>().detail, /runFrom \(5\) is after runTo \(4\)/);
      const unranked = await app.inject({
        url: '/api/v1/labels?sort=highest-entropy',
        headers: auth(tokens.viewer),
      });
      assert.equal(unranked.statusCode, 400);
      assert.match(unranked.json<Problem>().detail, /give plotTypeId/);
    });
  });
}
