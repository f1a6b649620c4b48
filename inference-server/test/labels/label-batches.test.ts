import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  AppliedLabels,
  LabelBatch,
  LabelBatchList,
  LabeledImageList,
  LabelList,
  Leaderboard,
  Problem,
} from '../../src/schemas/index.ts';
import { auth, createPlotType, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { defineClasses } from './labeler-helpers.ts';

for (const engine of ENGINES) {
  describe(`label batches (${engine})`, () => {
    test('undo restores exactly the labels that were current before, an unlabeled image included; redo re-applies', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_timing');
      await defineClasses(app, tokens.admin, 'FCAL_timing', [
        ['Good', 'ok'],
        ['Bad', 'alarm'],
        ['NoData', 'warn'],
      ]);
      const other = await createPlotType(app, tokens.admin, 'halld', 'BCAL_energy');
      const upload = async (plotTypeName: string, seed: number) =>
        (
          await uploadPlot(
            app,
            tokens.ingest,
            { deployment: 'halld', plotType: plotTypeName, run: String(200 + seed) },
            await plotPng({ brightness: 0.5, seed }),
          )
        ).result!.image.id;
      const [labeled, unlabeled, untouched] = [
        await upload('FCAL_timing', 1),
        await upload('FCAL_timing', 2),
        await upload('FCAL_timing', 3),
      ];
      const foreign = await upload('BCAL_energy', 4);
      const apply = async (imageIds: number[], className: string, token = tokens.labeler) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers: auth(token),
          payload: { imageIds, class: className },
        });
        return response;
      };
      const batchAction = (id: number, action: 'undo' | 'redo', token = tokens.labeler) =>
        app.inject({ method: 'POST', url: `/api/v1/labels/batches/${id}/${action}`, headers: auth(token) });
      const current = async () => {
        const { items } = (
          await app.inject({ url: `/api/v1/labels?plotTypeId=${plotType.id}`, headers: auth(tokens.viewer) })
        ).json<LabeledImageList>();
        return Object.fromEntries(
          items.map((i) => [i.imageId, i.label && { id: i.label.id, class: i.label.class }]),
        );
      };

      const mixed = await apply([labeled, foreign], 'Good');
      assert.equal(mixed.statusCode, 400);
      assert.match(mixed.json<Problem>().detail, /2 plot types .*label one plot type per request/);
      assert.equal((await apply([labeled], 'Cosmic')).statusCode, 400, 'a class the plot type lacks');
      assert.ok(other.id);

      const before = await apply([labeled], 'NoData', tokens.expert);
      assert.equal(before.statusCode, 201);
      const priorState = await current();
      const applied = await apply([labeled, unlabeled], 'Bad');
      assert.equal(applied.statusCode, 201, applied.body);
      const { batchId, items } = applied.json<AppliedLabels>();
      assert.deepEqual(
        items.map((l) => l.batchId),
        [batchId, batchId],
      );
      const appliedState = await current();
      assert.equal(appliedState[labeled]!.class, 'Bad');

      assert.equal(
        (await batchAction(batchId, 'undo', tokens.expert)).statusCode,
        403,
        "someone else's batch",
      );
      assert.equal((await batchAction(batchId, 'redo')).statusCode, 409, 'nothing to redo yet');
      const undone = await batchAction(batchId, 'undo');
      assert.equal(undone.statusCode, 200, undone.body);
      assert.notEqual(undone.json<LabelBatch>().undoneAt, null);
      assert.deepEqual(
        await current(),
        priorState,
        'the very labels of before, and none where there was none',
      );
      assert.equal(priorState[unlabeled], null);
      assert.equal(priorState[untouched], null);
      const unlabeledQueue = (
        await app.inject({
          url: `/api/v1/labels?plotTypeId=${plotType.id}&filter=unlabeled`,
          headers: auth(tokens.viewer),
        })
      ).json<LabeledImageList>();
      assert.deepEqual(unlabeledQueue.items.map((i) => i.imageId).sort(), [unlabeled, untouched].sort());
      assert.equal((await batchAction(batchId, 'undo')).statusCode, 409, 'already undone');

      const redone = await batchAction(batchId, 'redo');
      assert.equal(redone.statusCode, 200, redone.body);
      assert.equal(redone.json<LabelBatch>().undoneAt, null);
      assert.deepEqual(await current(), appliedState);

      // A later label on one image: the batch can no longer be undone without losing it.
      assert.equal((await apply([unlabeled], 'Good', tokens.admin)).statusCode, 201);
      const blocked = await batchAction(batchId, 'undo', tokens.admin);
      assert.equal(blocked.statusCode, 409);
      assert.match(blocked.json<Problem>().detail, /1 of the 2 images of label batch \d+ were labeled again/);

      const history = (
        await app.inject({ url: `/api/v1/images/${labeled}/labels`, headers: auth(tokens.viewer) })
      ).json<LabelList>();
      assert.deepEqual(
        history.items.map((l) => [l.class, l.batchId === batchId, l.supersededAt === null]),
        [
          ['Bad', true, true],
          ['NoData', false, false],
        ],
      );

      const batches = (
        await app.inject({ url: '/api/v1/labels/batches?user=test-labeler', headers: auth(tokens.viewer) })
      ).json<LabelBatchList>();
      assert.deepEqual(
        batches.items.map((b) => [b.id, b.count, b.class, b.plotType]),
        [[batchId, 2, 'Bad', 'FCAL_timing']],
      );
      const board = (
        await app.inject({ url: '/api/v1/labels/leaderboard', headers: auth(tokens.viewer) })
      ).json<Leaderboard>();
      assert.deepEqual(board.people, [
        { user: 'test-labeler', labels: 2 },
        { user: 'test-admin', labels: 1 },
        { user: 'test-expert', labels: 1 },
      ]);
      assert.equal(
        board.perHour.reduce((sum, h) => sum + h.labels, 0),
        4,
      );
      assert.match(board.perHour[0]!.hour, /T\d{2}:00:00\.000Z$/);
    });

    test('label-by-filter labels what the filter matches only while it matches the confirmed count', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_timing');
      const ids: number[] = [];
      for (const seed of [1, 2, 3]) {
        const { result } = await uploadPlot(
          app,
          tokens.ingest,
          { deployment: 'halld', plotType: 'FCAL_timing', run: String(300 + seed) },
          await plotPng({ brightness: 0.5, seed }),
        );
        ids.push(result!.image.id);
      }
      const byFilter = (payload: object) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/labels/by-filter',
          headers: auth(tokens.labeler),
          payload,
        });
      const query = { plotTypeId: plotType.id, runFrom: 302, runTo: 303 };
      const stale = await byFilter({ query, class: 'Bad', expectedCount: 3 });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.json<Problem>().detail, /now matches 2 images, not the 3 confirmed/);
      assert.equal(
        (await byFilter({ query: { runFrom: 1 }, class: 'Bad', expectedCount: 1 })).statusCode,
        400,
      );
      const done = await byFilter({ query, class: 'Bad', expectedCount: 2 });
      assert.equal(done.statusCode, 201, done.body);
      assert.equal(done.json<{ count: number }>().count, 2);
      const labeled = (
        await app.inject({
          url: `/api/v1/labels?plotTypeId=${plotType.id}&labeledAs=Bad`,
          headers: auth(tokens.viewer),
        })
      ).json<LabeledImageList>();
      assert.deepEqual(labeled.items.map((i) => i.imageId).sort(), ids.slice(1).sort());
    });
  });
}
