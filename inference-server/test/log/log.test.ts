import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEntry, LogList, PredictionList, Problem } from '../../src/schemas/index.ts';
import { logCsv, logFilter } from '../../src/log/log-export.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { classifiedPlots } from '../labels/labeler-helpers.ts';

for (const engine of ENGINES) {
  describe(`monitoring log (${engine})`, () => {
    test('lists the non-Good verdicts with filters, keeps acknowledgements, and exports the filtered rows as CSV', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const { plotTypeId } = await classifiedPlots(app, tokens, [0.9, 0.2, 0.1, 0.8, 0.15]);
      const predictions = (
        await app.inject({ url: '/api/v1/predictions?limit=100', headers: auth(tokens.viewer) })
      ).json<PredictionList>().items;
      const bad = predictions.filter((p) => p.verdict === 'Bad');
      assert.ok(bad.length >= 2 && bad.length < predictions.length, 'the plots give both verdicts');
      const good = predictions.find((p) => p.verdict === 'Good')!;

      const log = async (query = '') => {
        const response = await app.inject({ url: `/api/v1/log?${query}`, headers: auth(tokens.viewer) });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<LogList>();
      };
      const all = await log();
      assert.deepEqual(
        all.items.map((e) => e.predictionId),
        bad.map((p) => p.id),
        'the Bad verdicts, newest first',
      );
      assert.equal(all.total, bad.length);
      assert.equal((await log(`plotTypeId=${plotTypeId}&class=Good`)).total, 0);
      assert.equal((await log('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).total, 0);
      const runOf = bad.at(-1)!.run!;
      assert.deepEqual(
        (await log(`runFrom=${runOf}&runTo=${runOf}`)).items.map((e) => e.run),
        [runOf],
      );
      const confirmed = bad.filter((p) => p.confirmed).length;
      assert.equal((await log('confirmed=true')).total, confirmed);
      assert.equal((await log('confirmed=false')).total, bad.length - confirmed);

      const acknowledge = (predictionId: number, comment?: string, token = tokens.labeler) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/log/${predictionId}/acknowledgement`,
          headers: auth(token),
          payload: comment === undefined ? {} : { comment },
        });
      const target = bad[0]!;
      const acked = await acknowledge(target.id, 'HV trip, "known", see elog');
      assert.equal(acked.statusCode, 200, acked.body);
      assert.deepEqual(
        { ...acked.json<LogEntry>().acknowledgement, at: undefined },
        { user: 'test-labeler', comment: 'HV trip, "known", see elog', at: undefined },
      );
      assert.equal((await acknowledge(target.id, 'x', tokens.viewer)).statusCode, 403);
      assert.equal((await acknowledge(999_999)).statusCode, 404);
      const refused = await acknowledge(good.id);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json<Problem>().detail, /Good verdict/);
      assert.equal((await acknowledge(target.id, 'x'.repeat(501))).statusCode, 400);
      const seen = await log('acknowledged=true');
      assert.deepEqual(
        seen.items.map((e) => [e.predictionId, e.acknowledgement?.user]),
        [[target.id, 'test-labeler']],
      );
      assert.equal((await log('acknowledged=false')).total, bad.length - 1);

      const reversed = await app.inject({
        url: '/api/v1/log?runFrom=9&runTo=1',
        headers: auth(tokens.viewer),
      });
      assert.equal(reversed.statusCode, 400);

      const csv = await app.inject({
        url: '/api/v1/log.csv?acknowledged=false',
        headers: auth(tokens.viewer),
      });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const [header, ...lines] = csv.body.trimEnd().split('\r\n');
      assert.equal(header!.split(',')[0], 'created_at');
      assert.deepEqual(
        lines.map((line) => Number(line.split(',')[7])),
        bad.filter((p) => p.id !== target.id).map((p) => p.id),
      );
      // Page by page: one row a page gives the same export.
      const streamed: string[] = [];
      for await (const chunk of logCsv(app.catalog.log, logFilter({}), 1)) streamed.push(chunk);
      const everything = await app.inject({ url: '/api/v1/log.csv', headers: auth(tokens.viewer) });
      assert.equal(streamed.length, 1 + bad.length, 'a header, then one chunk per page');
      assert.equal(streamed.join(''), everything.body);
      const withComment = await app.inject({
        url: '/api/v1/log.csv?acknowledged=true',
        headers: auth(tokens.viewer),
      });
      assert.match(withComment.body, /,test-labeler,[^,]+,"HV trip, ""known"", see elog"\r\n$/);
    });
  });
}
