import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { seedCatalog } from '../../bench/catalog/seed.ts';
import { SEED_DEPLOYMENTS, SEED_PLOT_TYPES } from '../../bench/catalog/timeline.ts';
import { connectCatalog } from '../../src/catalog/connection.ts';
import type {
  LabeledImageList,
  LogList,
  PlotList,
  PredictionList,
  RunList,
} from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';

// One hall: its plots span most of a day, so that experts (who label hours later) and the shift crew have labelled
// some of them.
const IMAGES = 6000;
const HALL = SEED_DEPLOYMENTS[0]!.name;

const shares = (rows: Array<{ key: string | null; count: number | string }>, total: number) =>
  Object.fromEntries(rows.map(({ key, count }) => [key ?? 'none', Number(count) / total]));

for (const engine of ENGINES) {
  describe(`seeded catalog (${engine})`, () => {
    test('holds realistic runs, verdicts and labels, and the routes answer on it', async (t) => {
      const { app, tokens, databaseUrl, defer } = await buildTestApp(t, engine);
      const seeded = await seedCatalog(databaseUrl, { images: IMAGES, deployments: 1, seed: 7 });
      assert.equal(seeded.images, IMAGES);
      assert.equal(seeded.plotTypes, SEED_PLOT_TYPES.length);
      const { db } = connectCatalog(databaseUrl);
      defer(() => db.destroy());
      const get = async <T>(url: string): Promise<T> => {
        const response = await app.inject({ url, headers: auth(tokens.viewer) });
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        return response.json<T>();
      };

      // Mostly Good, some Bad and NoData; a few images failed and have no verdict.
      const verdicts = await db
        .selectFrom('prediction')
        .select(['verdict as key', (eb) => eb.fn.countAll<number | string>().as('count')])
        .groupBy('verdict')
        .execute();
      const verdictShare = shares(verdicts, IMAGES);
      assert.ok(verdictShare.Good! > 0.8 && verdictShare.Good! < 0.97, `Good: ${verdictShare.Good}`);
      assert.ok(verdictShare.Bad! > 0.01 && verdictShare.Bad! < 0.12, `Bad: ${verdictShare.Bad}`);
      assert.ok(
        verdictShare.NoData! > 0.005 && verdictShare.NoData! < 0.08,
        `NoData: ${verdictShare.NoData}`,
      );
      const statuses = await db
        .selectFrom('image')
        .select(['status as key', (eb) => eb.fn.countAll<number | string>().as('count')])
        .groupBy('status')
        .execute();
      const statusShare = shares(statuses, IMAGES);
      assert.ok(statusShare.classified! > 0.99, `classified: ${statusShare.classified}`);
      assert.equal(
        Object.keys(statusShare).every((status) => ['classified', 'failed'].includes(status)),
        true,
      );

      // Runs of one to three hours; while one takes data, every plot type writes one plot a minute.
      const { items: runs } = await get<RunList>(`/api/v1/runs?deployment=${HALL}&limit=1000`);
      assert.equal(
        runs.reduce((sum, run) => sum + run.images, 0),
        IMAGES,
      );
      const ended = runs.filter((run) => run.endedAt !== null);
      assert.ok(ended.length >= 3, `${ended.length} ended runs`);
      for (const run of ended) {
        const minutes = (Date.parse(run.endedAt!) - Date.parse(run.startedAt)) / 60_000;
        assert.ok(minutes >= 60 && minutes <= 180, `run ${run.number} lasted ${minutes} min`);
        assert.equal(run.images, minutes * SEED_PLOT_TYPES.length, `images of run ${run.number}`);
      }

      // Shift crews override wrong Bad verdicts; experts label some plots, a few Good and many others.
      const labels = await db
        .selectFrom('label')
        .innerJoin('image', 'image.id', 'label.image_id')
        .select([
          'label.source',
          'image.verdict',
          'label.class_name',
          'label.superseded_at',
          'label.batch_id',
        ])
        .execute();
      const overrides = labels.filter((label) => label.source === 'override');
      assert.ok(overrides.length > 0, 'no overrides');
      assert.ok(
        overrides.every((label) => label.verdict === 'Bad' && label.class_name !== 'Bad'),
        'an override that does not correct a Bad verdict',
      );
      assert.ok(
        labels.some((label) => label.source === 'labeler'),
        'no expert labels',
      );
      assert.ok(
        labels.every((label) => label.batch_id !== null),
        'a label outside a batch',
      );
      const acknowledged = await db
        .selectFrom('log_acknowledgement')
        .innerJoin('prediction', 'prediction.id', 'log_acknowledgement.prediction_id')
        .select('prediction.verdict')
        .execute();
      assert.ok(acknowledged.length > 0, 'no acknowledged log entries');
      assert.ok(acknowledged.every(({ verdict }) => verdict !== 'Good'));

      // The image rows' copies of their latest verdict and current label, which the labeler reads.
      const { rows: stale } = await sql<{ count: number | string }>`
        select count(*) as count from image
        left join prediction on prediction.id = (select max(id) from prediction where image_id = image.id)
        where coalesce(image.verdict, '') <> coalesce(prediction.verdict, '')
           or coalesce(image.label_class, '') <> coalesce((select class_name from label
                where label.image_id = image.id and label.superseded_at is null), '')`.execute(db);
      assert.equal(
        Number(stale[0]!.count),
        0,
        'images whose copies differ from their latest verdict or label',
      );

      // The plot grid: every plot type with its newest image and that image's verdict, and its reference.
      const { items: plots } = await get<PlotList>(`/api/v1/plots?deployment=${HALL}`);
      assert.deepEqual(
        plots.map((plot) => plot.plotType.name).sort(),
        SEED_PLOT_TYPES.map((p) => p.name).sort(),
      );
      for (const plot of plots) {
        const newest = await db
          .selectFrom('image')
          .select(['id', 'verdict'])
          .where('plot_type_id', '=', plot.plotType.id)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        assert.equal(plot.image?.id, newest.id, plot.plotType.name);
        assert.equal(plot.prediction?.verdict ?? null, newest.verdict, plot.plotType.name);
        const reference = await db
          .selectFrom('reference')
          .innerJoin('image', 'image.id', 'reference.image_id')
          .select(['image.plot_type_id', 'image.verdict'])
          .where('reference.plot_type_id', '=', plot.plotType.id)
          .where('reference.superseded_at', 'is', null)
          .executeTakeFirstOrThrow();
        assert.deepEqual(reference, { plot_type_id: plot.plotType.id, verdict: 'Good' });
      }

      // The log counts every non-Good verdict of the period (all of it, here).
      const from = new Date(seeded.firstCapturedAt).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const log = await get<LogList>(`/api/v1/log?from=${from}&to=${to}&limit=10`);
      assert.equal(log.total, Math.round((verdictShare.Bad! + verdictShare.NoData!) * IMAGES));
      assert.ok(log.items.every((entry) => entry.verdict !== 'Good'));

      // Predictions of a plot type in a time range, newest first.
      const predictions = await get<PredictionList>(
        `/api/v1/predictions?deployment=${HALL}&plotType=${plots[0]!.plotType.name}&from=${from}&to=${to}&limit=50`,
      );
      assert.equal(predictions.items.length, 50);
      assert.ok(predictions.items.every((p) => p.plotType === plots[0]!.plotType.name));
      const times = predictions.items.map((p) => Date.parse(p.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );

      // The labeler's queue of each plot type counts the images with a current label.
      let labeled = 0;
      for (const plot of plots) {
        const query = `plotTypeId=${plot.plotType.id}&filter=labeled`;
        const page = await get<LabeledImageList>(`/api/v1/labels?${query}`);
        assert.ok(page.items.every((item) => item.label !== null));
        labeled += (await get<{ total: number }>(`/api/v1/labels/count?${query}`)).total;
      }
      assert.equal(labeled, labels.filter((label) => label.superseded_at === null).length);
    });
  });
}
