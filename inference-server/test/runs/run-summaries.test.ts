import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  ImagesPerDay,
  PredictionList,
  RunPlots,
  RunsSummary,
  ServerStatus,
  StatusHistory,
  SummaryList,
} from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot, type ApiClient } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';

const HOUR_MS = 3_600_000;

/** Under the brightness model a dark plot is Bad: run 1002's CDC detector fails twice. */
const PLAN = [
  { run: 1001, plotType: 'CDC_occupancy', brightness: 0.9, hoursAgo: 5 },
  { run: 1001, plotType: 'FCAL_timing', brightness: 0.8, hoursAgo: 5 },
  { run: 1001, plotType: 'CDC_occupancy', brightness: 0.85, hoursAgo: 4.5 },
  { run: 1002, plotType: 'CDC_occupancy', brightness: 0.9, hoursAgo: 3 },
  { run: 1002, plotType: 'FCAL_timing', brightness: 0.9, hoursAgo: 3 },
  { run: 1002, plotType: 'CDC_occupancy', brightness: 0.1, hoursAgo: 2.5 },
  { run: 1002, plotType: 'CDC_occupancy', brightness: 0.8, hoursAgo: 2 },
  { run: 1002, plotType: 'CDC_occupancy', brightness: 0.15, hoursAgo: 1.5 },
];

async function get<T>(app: ApiClient, token: string, url: string): Promise<T> {
  const response = await app.inject({ url, headers: auth(token) });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json<T>();
}

async function expectProblem(app: ApiClient, token: string, url: string, status: number, detail: RegExp) {
  const response = await app.inject({ url, headers: auth(token) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  assert.match(response.json<{ detail: string }>().detail, detail, url);
}

for (const engine of ENGINES) {
  describe(`Runs, Browse, Summary and Status (${engine})`, () => {
    test('a faulty run shows Bad cells, a clean one none; the figures match what was posted', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine, {
        HYDRA_STATUS_SAMPLE_SECONDS: '0.1',
        HYDRA_STATUS_STORAGE_SECONDS: '1',
      });
      const viewer = tokens.viewer;
      const cdc = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      const fcal = await createPlotType(app, tokens.admin, 'halld', 'FCAL_timing');
      await registerBrightnessModel(app, tokens.expert, cdc.id);
      await registerBrightnessModel(app, tokens.expert, fcal.id);
      const idle = await get<StatusHistory>(app, viewer, '/api/v1/status/history?minutes=5');
      assert.equal(idle.intervalSeconds, 0.1);
      assert.ok(idle.samples.every((sample) => sample.imagesPerSecond === 0));

      const now = Date.now();
      const uploads: Array<(typeof PLAN)[number] & { id: number; capturedAt: number; bytes: number }> = [];
      for (const [seed, step] of PLAN.entries()) {
        const png = await plotPng({ brightness: step.brightness, seed: seed + 1 });
        const capturedAt = now - step.hoursAgo * HOUR_MS;
        const { response, result } = await uploadPlot(
          app,
          tokens.ingest,
          {
            deployment: 'halld',
            plotType: step.plotType,
            run: String(step.run),
            time: new Date(capturedAt).toISOString(),
          },
          png,
        );
        assert.equal(response.statusCode, 201, response.body);
        uploads.push({ ...step, id: result!.image.id, capturedAt, bytes: png.length });
      }
      await waitFor(
        async () =>
          (await get<PredictionList>(app, viewer, '/api/v1/predictions?deployment=halld')).items.length ===
          PLAN.length,
        { what: 'every plot classified' },
      );

      // The shift crew overrides one Bad plot of run 1002; an expert labels a plot of run 1001 (not an override).
      const [firstBad, secondBad] = uploads.filter((u) => u.brightness < 0.5);
      for (const [imageId, source] of [
        [firstBad!.id, 'override'],
        [uploads[0]!.id, 'labeler'],
      ] as const) {
        const labeled = await app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers: auth(tokens.labeler),
          payload: { imageIds: [imageId], class: 'Good', source },
        });
        assert.equal(labeled.statusCode, 201, labeled.body);
      }
      const reference = await app.inject({
        method: 'PUT',
        url: `/api/v1/plot-types/${cdc.id}/reference`,
        headers: auth(tokens.expert),
        payload: { imageId: uploads[0]!.id },
      });
      assert.equal(reference.statusCode, 200, reference.body);

      const summary = await get<RunsSummary>(app, viewer, '/api/v1/runs/summary?deployment=halld');
      assert.deepEqual(
        summary.plotTypes.map((p) => p.name),
        ['CDC_occupancy', 'FCAL_timing'],
      );
      assert.deepEqual(
        summary.runs.map((run) => run.number),
        [1002, 1001],
      );
      const [faulty, clean] = summary.runs;
      const iso = (ms: number) => new Date(ms).toISOString();
      assert.equal(faulty!.badPlots, 1);
      assert.equal(faulty!.firstBadAt, iso(firstBad!.capturedAt));
      assert.equal(faulty!.overrides, 1);
      const cdcCell = faulty!.cells.find((cell) => cell.plotTypeId === cdc.id)!;
      const inRun = (run: number, plotType: string) =>
        uploads.filter((u) => u.run === run && u.plotType === plotType);
      assert.deepEqual(cdcCell, {
        plotTypeId: cdc.id,
        images: inRun(1002, 'CDC_occupancy').length,
        worstVerdict: 'Bad',
        worstSeverity: 'alarm',
        bad: 2,
        firstBadAt: iso(firstBad!.capturedAt),
        overrides: 1,
        latestImageId: secondBad!.id,
      });
      const fcalCell = faulty!.cells.find((cell) => cell.plotTypeId === fcal.id)!;
      assert.equal(fcalCell.bad, 0);
      assert.equal(fcalCell.worstSeverity, 'ok');
      assert.equal(clean!.badPlots, 0);
      assert.equal(clean!.firstBadAt, null);
      assert.equal(clean!.overrides, 0);
      assert.deepEqual(
        clean!.cells.map((cell) => [cell.plotTypeId, cell.images, cell.bad, cell.worstVerdict]),
        [
          [cdc.id, inRun(1001, 'CDC_occupancy').length, 0, 'Good'],
          [fcal.id, inRun(1001, 'FCAL_timing').length, 0, 'Good'],
        ],
      );
      const window = await get<RunsSummary>(
        app,
        viewer,
        '/api/v1/runs/summary?deployment=halld&fromRun=1001&toRun=1001',
      );
      assert.deepEqual(
        window.runs.map((run) => run.number),
        [1001],
      );

      const browse = await get<RunPlots>(app, viewer, '/api/v1/runs/1002/plots?deployment=halld');
      assert.equal(browse.run, 1002);
      const byName = new Map(browse.items.map((item) => [item.plotType.name, item]));
      assert.equal(byName.get('CDC_occupancy')!.image!.id, secondBad!.id);
      assert.equal(byName.get('CDC_occupancy')!.prediction!.verdict, 'Bad');
      assert.equal(byName.get('CDC_occupancy')!.referenceImageId, uploads[0]!.id);
      assert.equal(byName.get('FCAL_timing')!.image!.id, inRun(1002, 'FCAL_timing').at(-1)!.id);
      assert.equal(byName.get('FCAL_timing')!.referenceImageId, null);

      const figures = await get<SummaryList>(app, viewer, '/api/v1/summary?deployment=halld');
      const recent = uploads.filter((u) => u.capturedAt >= now - 24 * HOUR_MS).length;
      assert.deepEqual(figures.items, [
        {
          deployment: 'halld',
          labeledImages: 2,
          totalImages: uploads.length,
          activeModels: 2,
          imagesPerHour: recent / 24,
          runsWithBad: new Set(uploads.filter((u) => u.brightness < 0.5).map((u) => u.run)).size,
          classified: uploads.length,
        },
      ]);
      assert.deepEqual(await get<SummaryList>(app, viewer, '/api/v1/summary'), figures);

      const perDay = await get<ImagesPerDay>(
        app,
        viewer,
        '/api/v1/status/images-per-day?deployment=halld&days=3',
      );
      assert.equal(perDay.days.length, 3);
      assert.equal(perDay.days.at(-1)!.day, iso(now).slice(0, 10));
      assert.equal(
        perDay.days.reduce((sum, day) => sum + day.images, 0),
        uploads.length,
      );

      const busy = await waitFor(
        async () => {
          const history = await get<StatusHistory>(app, viewer, '/api/v1/status/history?minutes=5');
          // A sample taken while the last plots were still queued shows them pending: wait for one after.
          const drained = history.samples.at(-1);
          return (
            history.samples.some((sample) => sample.imagesPerSecond > 0) && drained?.pending === 0 && history
          );
        },
        { what: 'a status sample that saw the plots classified, and one after the queue drained' },
      );
      assert.ok(busy.samples.length > idle.samples.length);
      const latest = busy.samples.at(-1)!;
      assert.ok(latest.p50 !== null && latest.p50 >= 0);
      assert.equal(latest.pending, 0);

      const storage = await waitFor(
        async () => {
          const status = await get<ServerStatus>(app, viewer, '/api/v1/status');
          return status.storage?.images === uploads.length && status.storage;
        },
        { what: 'the image store measured with every plot' },
      );
      assert.equal(
        storage.imageBytes,
        uploads.reduce((sum, u) => sum + u.bytes, 0),
      );
    });

    test('bad input is a problem that says what to fix', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      const viewer = tokens.viewer;
      for (const url of [
        '/api/v1/runs/summary?deployment=hallz',
        '/api/v1/runs/1/plots?deployment=hallz',
        '/api/v1/summary?deployment=hallz',
        '/api/v1/status/images-per-day?deployment=hallz',
      ]) {
        await expectProblem(app, viewer, url, 404, /deployment "hallz" is not registered/);
      }
      await expectProblem(
        app,
        viewer,
        '/api/v1/runs/7/plots?deployment=halld',
        404,
        /run 7 of deployment "halld"/,
      );
      await expectProblem(
        app,
        viewer,
        '/api/v1/runs/summary?deployment=halld&fromRun=20&toRun=10',
        400,
        /fromRun \(20\) is after toRun \(10\)/,
      );
      for (const days of [0, 367]) {
        await expectProblem(
          app,
          viewer,
          `/api/v1/status/images-per-day?deployment=halld&days=${days}`,
          400,
          /days/,
        );
      }
      const anonymous = await app.inject({ url: '/api/v1/summary' });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
