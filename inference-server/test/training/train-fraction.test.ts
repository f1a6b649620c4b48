import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import type { TrainingJob } from '../../src/schemas/index.ts';
import { auth, createPlotType, labelImages, uploadPlot } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';

const PER_CLASS = 30;

test('trainFraction: a job learns from a share of the training split, on the same validation and test images', async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite', { HYDRA_WORKERS: '1' });
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  let run = 1;
  for (const [className, grey] of [
    ['Good', 150],
    ['Bad', 20],
  ] as const) {
    const png = await sharp({
      create: { width: 40, height: 30, channels: 3, background: { r: grey, g: grey, b: grey } },
    })
      .png()
      .toBuffer();
    const ids: number[] = [];
    for (let i = 0; i < PER_CLASS; i++) {
      const { result } = await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: 'CDC_occupancy', run: String(run++) },
        png,
      );
      ids.push(result!.image.id);
    }
    await labelImages(app, tokens.labeler, ids, className);
  }

  const train = (body: object) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/train`,
      headers: auth(tokens.expert),
      payload: { epochs: 500, batchSize: 4, seed: 1, ...body },
    });
  const started = async (body: object) => {
    const response = await train(body);
    assert.equal(response.statusCode, 202, response.body);
    const job = response.json<TrainingJob>();
    // Only the split matters here: the jobs need not run.
    await app.trainingQueue.cancel(job.id).catch(() => undefined);
    return { view: job, row: await app.catalog.trainingJobs.get(job.id) };
  };

  // 30 per class: 5 test, 5 validation and 20 training images each.
  const full = await started({});
  const half = await started({ trainFraction: 0.5 });
  assert.deepEqual(full.view.splitSizes, { train: 40, validation: 10, test: 10 });
  assert.deepEqual(half.view.splitSizes, { train: 20, validation: 10, test: 10 });
  assert.equal(half.view.parameters.trainFraction, 0.5);
  assert.deepEqual(half.row.split!.test, full.row.split!.test);
  assert.deepEqual(half.row.split!.validation, full.row.split!.validation);
  assert.ok(half.row.split!.train.every((id) => full.row.split!.train.includes(id)));

  // A tenth of 20 is 2 per class: 4 training images cannot train a model, and the refusal says so.
  const tooSmall = await train({ trainFraction: 0.1 });
  assert.equal(tooSmall.statusCode, 400, tooSmall.body);
  assert.match(tooSmall.json<{ detail: string }>().detail, /at least 10 training images, got 4/);
  for (const trainFraction of [0, 1.5]) {
    const invalid = await train({ trainFraction });
    assert.equal(invalid.statusCode, 400, invalid.body);
    assert.match(invalid.json<{ detail: string }>().detail, /trainFraction/);
  }
});
