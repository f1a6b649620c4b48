import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import type { ModelVersionList, PromotionGate, TrainingJob } from '../../src/schemas/index.ts';
import { auth, createPlotType, labelImages, uploadPlot, waitForTrainingJob } from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';
import { openEventStream } from '../helpers/sse.ts';

// Data no model can learn from, by construction: one grey picture, labeled Good ten times and Bad ten times. Whatever
// the model answers, it answers it for every image, so it scores what always answering one class scores.
const PER_CLASS = 10;

test('a job on data it cannot learn from ends as not useful, says why, keeps its version and never activates it', async (t) => {
  const { app, tokens, defer } = await buildTestApp(t, 'sqlite', { HYDRA_WORKERS: '1' });
  const plotType = await createPlotType(app, tokens.admin, 'halld', 'FCAL_occupancy');
  const grey = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#969696' } })
    .png()
    .toBuffer();
  let run = 1;
  for (const className of ['Good', 'Bad']) {
    const ids: number[] = [];
    for (let i = 0; i < PER_CLASS; i++) {
      const where = { deployment: 'halld', plotType: 'FCAL_occupancy', run: String(run++) };
      ids.push((await uploadPlot(app, tokens.ingest, where, grey)).result!.image.id);
    }
    await labelImages(app, tokens.labeler, ids, className);
  }
  const stream = await openEventStream<TrainingJob>({ app, defer }, tokens.viewer);

  const queued = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotType.id}/train`,
    headers: auth(tokens.expert),
    payload: { inputShape: [16, 16, 1], epochs: 3, batchSize: 4, augment: false, seed: 1, activate: true },
  });
  assert.equal(queued.statusCode, 202, queued.body);
  const job = await waitForTrainingJob(
    app,
    tokens.viewer,
    queued.json<TrainingJob>().id,
    120_000,
    'not-useful',
  );

  // The reason names the model's accuracy and the trivial answer's, on the split where it fell short.
  assert.match(
    job.error ?? '',
    /^it learned nothing: on the (test|validation) split it scores accuracy \d+\.\d%, macro F1 \d\.\d{3}; always answering (Good|Bad) scores \d+\.\d%, \d\.\d{3}$/,
  );
  assert.match(job.log.at(-1)!, /not useful: it learned nothing: .* never activated/);
  assert.ok(job.modelVersionId !== null, 'the version is kept, for its curves and confusion matrices');
  await waitFor(() => stream.ofType<TrainingJob>('training').find((event) => event.status === 'not-useful'), {
    what: 'a training event that says not-useful',
  });
  const trainingEvent = stream
    .ofType<TrainingJob>('training')
    .find((event) => event.status === 'not-useful')!;
  assert.equal(trainingEvent.error, job.error);

  // Asked to activate, it did not: no active version, and the gate refuses it whatever the body says.
  assert.equal((await app.catalog.plotTypes.get(plotType.id)).active_model_version_id, null);
  const versions = (
    await app.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) })
  ).json<ModelVersionList>();
  assert.deepEqual(
    versions.items.map((version) => [version.id, version.status]),
    [[job.modelVersionId, 'ready']],
  );
  const gate = (
    await app.inject({
      url: `/api/v1/models/${plotType.id}/versions/${job.modelVersionId}/gate`,
      headers: auth(tokens.viewer),
    })
  ).json<PromotionGate>();
  assert.equal(gate.verdict, 'trivial');
  const refused = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotType.id}/versions/${job.modelVersionId}/activate`,
    headers: auth(tokens.expert),
    payload: { confirmWorse: true, reason: 'activate it anyway' },
  });
  assert.equal(refused.statusCode, 422, refused.body);
});
