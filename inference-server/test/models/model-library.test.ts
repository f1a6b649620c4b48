import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ActivationList, ModelVersion, TrainingJob } from '../../src/schemas/index.ts';
import {
  auth,
  createPlotType,
  labelImages,
  registerBrightnessModel,
  uploadPlot,
  waitForTrainingJob,
} from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';

/** The model versions each inference worker holds. */
async function loadedPerWorker(app: FastifyInstance): Promise<number[][]> {
  return (await app.inferencePool.memory()).map((worker) => worker.loadedModelVersionIds);
}

/** Uploads a plot and waits for its verdict, so that the active version is loaded in a worker. */
async function classifyOne(app: FastifyInstance, token: string, seed: number): Promise<void> {
  const { result } = await uploadPlot(
    app,
    token,
    { deployment: 'halld', plotType: 'CDC_occupancy', run: String(5000 + seed) },
    await plotPng({ brightness: 0.8, seed }),
  );
  await waitFor(async () => (await app.catalog.images.get(result!.image.id)).status === 'classified', {
    what: `plot ${seed} classified`,
  });
}

/** Labels the images as given and trains with activate; resolves with the finished job. */
async function trainWithActivate(
  app: FastifyInstance,
  tokens: Record<'labeler' | 'expert' | 'viewer', string>,
  plotTypeId: number,
  imageIds: Record<'Good' | 'Bad', number[]>,
  epochs: number,
  expected: TrainingJob['status'] = 'succeeded',
): Promise<TrainingJob> {
  await labelImages(app, tokens.labeler, imageIds.Good, 'Good');
  await labelImages(app, tokens.labeler, imageIds.Bad, 'Bad');
  const queued = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotTypeId}/train`,
    headers: auth(tokens.expert),
    payload: { epochs, batchSize: 4, inputShape: [32, 32, 3], augment: false, activate: true },
  });
  assert.equal(queued.statusCode, 202, queued.body);
  return waitForTrainingJob(app, tokens.viewer, queued.json<TrainingJob>().id, 300_000, expected);
}

for (const engine of ENGINES) {
  describe(`model library (${engine})`, () => {
    test('import and training with activate unload the replaced version from every worker, and both are in the history', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine, { HYDRA_WORKERS: '2' });
      const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');

      const first = await registerBrightnessModel(app, tokens.expert, plotType.id);
      await classifyOne(app, tokens.ingest, 1);
      assert.ok(
        (await loadedPerWorker(app)).some((ids) => ids.includes(first.id)),
        'the first version is loaded once it has classified a plot',
      );

      // Import with activate: the first version is freed everywhere.
      const second = await registerBrightnessModel(app, tokens.expert, plotType.id, { name: 'imported' });
      await waitFor(async () => (await loadedPerWorker(app)).every((ids) => !ids.includes(first.id)), {
        what: `version ${first.id} unloaded after the import`,
      });
      await classifyOne(app, tokens.ingest, 2);
      assert.ok((await loadedPerWorker(app)).some((ids) => ids.includes(second.id)));

      // Train with activate: the imported version is freed everywhere.
      const imageIds: Record<'Good' | 'Bad', number[]> = { Good: [], Bad: [] };
      for (let i = 0; i < 20; i++) {
        const good = i % 2 === 0;
        const { result } = await uploadPlot(
          app,
          tokens.ingest,
          { deployment: 'halld', plotType: 'CDC_occupancy', run: String(100 + i) },
          await plotPng({ brightness: good ? 0.85 : 0.1, seed: 10 + i }),
        );
        imageIds[good ? 'Good' : 'Bad'].push(result!.image.id);
      }
      const job = await trainWithActivate(app, tokens, plotType.id, imageIds, 1);
      await waitFor(async () => (await loadedPerWorker(app)).every((ids) => !ids.includes(second.id)), {
        what: `version ${second.id} unloaded after training`,
      });

      const history = await app.inject({
        url: `/api/v1/models/${plotType.id}/activations`,
        headers: auth(tokens.viewer),
      });
      assert.equal(history.statusCode, 200, history.body);
      const items = history.json<ActivationList>().items;
      assert.deepEqual(
        items.map((a) => [a.fromVersionId, a.toVersionId, a.actor, a.reason.split(' (')[0]]),
        [
          [second.id, job.modelVersionId, `training job ${job.id} (test-expert)`, 'trained with activate'],
          [first.id, second.id, 'test-expert', 'imported with activate'],
          [null, first.id, 'test-expert', 'imported with activate'],
        ],
      );
      for (const activation of items) assert.ok(Date.parse(activation.createdAt) <= Date.now());
      assert.equal(items[1]!.model, 'imported');
      assert.equal(items[1]!.fromVersion, 1, 'version numbers, not only ids');
    });

    test('activation through the API and rollback are recorded with who did them; an unknown plot type is a 404', async (t) => {
      const { app, tokens } = await buildTestApp(t, engine);
      const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
      const first = await registerBrightnessModel(app, tokens.expert, plotType.id);
      const second = await registerBrightnessModel(app, tokens.expert, plotType.id, { activate: 'false' });
      const post = (url: string) => app.inject({ method: 'POST', url, headers: auth(tokens.expert) });
      const activated = await post(`/api/v1/models/${plotType.id}/versions/${second.id}/activate`);
      assert.equal(activated.json<ModelVersion>().status, 'active');
      const rolledBack = await post(`/api/v1/models/${plotType.id}/rollback`);
      assert.equal(rolledBack.json<ModelVersion>().id, first.id);

      const items = (
        await app.inject({ url: `/api/v1/models/${plotType.id}/activations`, headers: auth(tokens.viewer) })
      ).json<ActivationList>().items;
      assert.deepEqual(
        items.map((a) => [a.fromVersionId, a.toVersionId, a.reason]),
        [
          [second.id, first.id, 'rolled back through the API'],
          [first.id, second.id, 'activated through the API'],
          [null, first.id, 'imported with activate'],
        ],
      );
      const missing = await app.inject({
        url: '/api/v1/models/9999/activations',
        headers: auth(tokens.viewer),
      });
      assert.equal(missing.statusCode, 404);
    });
  });
}

test('a trained version that does no better than always giving one class is registered but not activated, and the job ends not useful and says why', async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite');
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
  // One picture under twenty runs, half labeled Good and half Bad: nothing in the image tells them apart.
  const png = await plotPng({ brightness: 0.5, seed: 1 });
  const imageIds: Record<'Good' | 'Bad', number[]> = { Good: [], Bad: [] };
  for (let i = 0; i < 20; i++) {
    const { result } = await uploadPlot(
      app,
      tokens.ingest,
      { deployment: 'halld', plotType: 'CDC_occupancy', run: String(100 + i) },
      png,
    );
    imageIds[i % 2 === 0 ? 'Good' : 'Bad'].push(result!.image.id);
  }
  const job = await trainWithActivate(app, tokens, plotType.id, imageIds, 2, 'not-useful');
  assert.match(
    job.log.at(-1)!,
    /not useful: it learned nothing: .*always answering (Good|Bad) scores 50\.0%.*never activated/,
  );

  const version = (await app.catalog.models.getVersion(job.modelVersionId!)).status;
  assert.equal(version, 'ready');
  assert.equal((await app.catalog.plotTypes.get(plotType.id)).active_model_version_id, null);
  const versions = await app.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) });
  const [trained] = versions.json<{ items: ModelVersion[] }>().items;
  assert.equal(trained!.metrics!.trivialAnswer.accuracy, 0.5);
});
