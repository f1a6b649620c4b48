import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  AppliedLabels,
  LabelBatchList,
  LabeledImageList,
  Leaderboard,
  LogEntry,
  Me,
  NewsItem,
  PredictionList,
  Problem,
} from '../../src/schemas/index.ts';
import { createApiToken } from '../../src/plugins/app/auth.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { classifiedPlots } from './labeler-helpers.ts';

/** What Grafana's proxy sends for a signed-in user: the token of the app's route, and the login as UTF-8 bytes. */
const asGrafanaUser = (token: string, login: string) => ({
  ...auth(token),
  'x-grafana-user': Buffer.from(login, 'utf8').toString('latin1'),
});

for (const engine of ENGINES) {
  describe(`Grafana proxy tokens (${engine})`, () => {
    test('the Grafana user a proxy token names is who labels, undoes, acknowledges and posts; a normal token’s header is ignored', async (t) => {
      const { app, tokens, grafanaToken: grafana } = await buildTestApp(t, engine);
      const grafanaAdmin = await createApiToken(app.catalog, 'grafana-admin', 'admin', {
        grafanaProxy: true,
      });
      const { plotTypeId, imageIds } = await classifiedPlots(app, tokens, [0.9, 0.2, 0.1]);
      const me = async (headers: Record<string, string>) => {
        const response = await app.inject({ url: '/api/v1/me', headers });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<Me>();
      };

      assert.deepEqual(await me(asGrafanaUser(grafana, 'josé')), {
        name: 'josé',
        grafanaUser: 'josé',
        token: { name: 'grafana', grafanaProxy: true },
        role: 'labeler',
        rights: ['read', 'label'],
      });
      const withoutUser = await me(auth(grafana));
      assert.deepEqual(
        [withoutUser.name, withoutUser.grafanaUser],
        ['grafana', null],
        'no header: the token',
      );
      const normal = await me(asGrafanaUser(tokens.labeler, 'alice'));
      assert.deepEqual(
        [normal.name, normal.grafanaUser, normal.token],
        ['test-labeler', null, { name: 'test-labeler', grafanaProxy: false }],
        'a normal token cannot name someone else',
      );

      const apply = async (headers: Record<string, string>, imageIds: number[], className: string) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers,
          payload: { imageIds, class: className },
        });
        assert.equal(response.statusCode, 201, response.body);
        return response.json<AppliedLabels>();
      };
      const [first, second, third] = imageIds as [number, number, number];
      const alices = await apply(asGrafanaUser(grafana, 'alice'), [first], 'Bad');
      const bobs = await apply(asGrafanaUser(grafana, 'bob'), [second, third], 'Good');
      assert.deepEqual([alices.items[0]!.user, bobs.items.map((l) => l.user)], ['alice', ['bob', 'bob']]);

      const batchesOf = async (user: string) =>
        (
          await app.inject({ url: `/api/v1/labels/batches?user=${user}`, headers: auth(tokens.viewer) })
        ).json<LabelBatchList>().items;
      assert.deepEqual(
        (await batchesOf('alice')).map((b) => [b.id, b.user, b.count]),
        [[alices.batchId, 'alice', 1]],
      );
      assert.deepEqual(
        (await batchesOf('bob')).map((b) => [b.id, b.user, b.count]),
        [[bobs.batchId, 'bob', 2]],
      );
      const labeledBy = (
        await app.inject({
          url: `/api/v1/labels?plotTypeId=${plotTypeId}&labeledBy=alice`,
          headers: auth(tokens.viewer),
        })
      ).json<LabeledImageList>();
      assert.deepEqual(
        labeledBy.items.map((i) => i.imageId),
        [first],
      );

      const undo = (headers: Record<string, string>, batchId: number) =>
        app.inject({ method: 'POST', url: `/api/v1/labels/batches/${batchId}/undo`, headers });
      const bobUndoesAlices = await undo(asGrafanaUser(grafana, 'bob'), alices.batchId);
      assert.equal(bobUndoesAlices.statusCode, 403);
      assert.match(bobUndoesAlices.json<Problem>().detail, /is alice's: only they or an admin may undo it/);
      const tokenUndoesAlices = await undo(auth(grafana), alices.batchId);
      assert.equal(tokenUndoesAlices.statusCode, 403, 'the token without a user is not alice either');
      assert.equal((await undo(asGrafanaUser(grafana, 'alice'), alices.batchId)).statusCode, 200);
      assert.equal(
        (await undo(asGrafanaUser(grafanaAdmin, 'carol'), bobs.batchId)).statusCode,
        200,
        "an admin token's users may undo anyone's batch: the token's role bounds them",
      );

      const spoofed = await apply(asGrafanaUser(tokens.labeler, 'alice'), [third], 'Bad');
      assert.equal(spoofed.items[0]!.user, 'test-labeler', 'the header of a normal token is not trusted');

      const board = (
        await app.inject({ url: '/api/v1/labels/leaderboard', headers: auth(tokens.viewer) })
      ).json<Leaderboard>();
      assert.deepEqual(board.people, [{ user: 'test-labeler', labels: 1 }], 'undone batches are left out');

      const bad = (
        await app.inject({ url: '/api/v1/predictions?verdict=Bad', headers: auth(tokens.viewer) })
      ).json<PredictionList>().items[0]!;
      const acknowledged = await app.inject({
        method: 'PUT',
        url: `/api/v1/log/${bad.id}/acknowledgement`,
        headers: asGrafanaUser(grafana, 'dave'),
        payload: { comment: 'seen' },
      });
      assert.equal(acknowledged.statusCode, 200, acknowledged.body);
      assert.equal(acknowledged.json<LogEntry>().acknowledgement!.user, 'dave');

      const posted = await app.inject({
        method: 'POST',
        url: '/api/v1/news',
        headers: asGrafanaUser(grafanaAdmin, 'erin'),
        payload: { text: 'Beam study tonight' },
      });
      assert.equal(posted.statusCode, 201, posted.body);
      assert.equal(posted.json<NewsItem>().author, 'erin');
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/news',
        headers: asGrafanaUser(grafana, 'erin'),
        payload: { text: 'Beam study tonight' },
      });
      assert.equal(refused.statusCode, 403, 'a labeler token stays a labeler whoever Grafana names');

      const tooLong = await app.inject({
        method: 'POST',
        url: '/api/v1/labels',
        headers: asGrafanaUser(grafana, 'x'.repeat(201)),
        payload: { imageIds: [first], class: 'Bad' },
      });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.json<Problem>().detail, /x-grafana-user header is not a Grafana login/);
    });
  });
}
