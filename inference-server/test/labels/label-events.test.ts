import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LabelChange } from '../../src/schemas/index.ts';
import { auth, createPlotType, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';
import { collectServerSentEvents, openEventStream } from '../helpers/sse.ts';

for (const engine of ENGINES) {
  describe(`label events (${engine})`, () => {
    test('applying, undoing and redoing labels streams a label event each, to streams of that deployment', async (t) => {
      const { app, tokens, defer } = await buildTestApp(t, engine);
      await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      const imageIds: number[] = [];
      for (let seed = 1; seed <= 3; seed++) {
        const { result } = await uploadPlot(
          app,
          tokens.ingest,
          { deployment: 'halld', plotType: 'CDC_occupancy' },
          await plotPng({ brightness: 0.5, seed }),
        );
        imageIds.push(result!.image.id);
      }
      const halld = await openEventStream<LabelChange>({ app, defer }, tokens.viewer, '?deployment=halld');
      const other = collectServerSentEvents<LabelChange>(
        `${app.listeningOrigin}/api/v1/events?deployment=hallb`,
        auth(tokens.viewer),
      );
      defer(other.close);
      await other.connected;

      const applied = await app.inject({
        method: 'POST',
        url: '/api/v1/labels',
        headers: auth(tokens.labeler),
        payload: { imageIds, class: 'Bad' },
      });
      assert.equal(applied.statusCode, 201, applied.body);
      const { batchId } = applied.json<{ batchId: number }>();
      for (const action of ['undo', 'redo']) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/labels/batches/${batchId}/${action}`,
          headers: auth(tokens.labeler),
        });
        assert.equal(response.statusCode, 200, response.body);
      }

      const events = await waitFor(
        () => halld.ofType<LabelChange>('label').length === 3 && halld.ofType<LabelChange>('label'),
        {
          what: 'three label events',
        },
      );
      assert.deepEqual(
        events.map((event) => event.action),
        ['applied', 'undone', 'redone'],
      );
      for (const event of events) {
        assert.deepEqual(
          { ...event, action: undefined },
          {
            id: batchId,
            action: undefined,
            deployment: 'halld',
            plotTypeId: events[0]!.plotTypeId,
            plotType: 'CDC_occupancy',
            class: 'Bad',
            source: 'labeler',
            user: 'test-labeler',
            count: 3,
            imageIds,
          },
        );
      }
      assert.deepEqual(other.ofType('label'), [], 'a stream of another deployment hears none');
    });
  });
}
