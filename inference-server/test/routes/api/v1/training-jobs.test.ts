import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelVersionList, TrainingJob } from '../../../../src/schemas/index.ts';
import { simulatePlot } from '../../../../src/simulator/index.ts';
import { auth, createPlotType, labelImages, uploadPlot } from '../../../helpers/api.ts';
import { buildTestApp, ENGINES } from '../../../helpers/build-app.ts';
import { waitFor } from '../../../helpers/services.ts';

const KIND = 'TOF_timing';

for (const engine of ENGINES) {
  test(`cancel on ${engine}: a queued job ends before it starts, a running one stops its worker, an ended one gets 409`, async (t) => {
    // One training job at a time (the default), so a second job waits in the queue.
    const { app, tokens } = await buildTestApp(t, engine, { HYDRA_WORKERS: '1' });
    const plotType = await createPlotType(app, tokens.admin, 'halld', KIND);
    const idsByClass: Record<'Good' | 'Bad', number[]> = { Good: [], Bad: [] };
    for (let run = 1; run <= 16; run++) {
      const bad = run % 2 === 0;
      const plot = await simulatePlot({
        kind: KIND,
        run,
        seed: 3,
        fault: bad ? { mode: 'dead-region', strength: 'normal' } : undefined,
      });
      const { result } = await uploadPlot(
        app,
        tokens.ingest,
        { deployment: 'halld', plotType: KIND, run: String(run) },
        plot.png,
      );
      idsByClass[bad ? 'Bad' : 'Good'].push(result!.image.id);
    }
    for (const [className, imageIds] of Object.entries(idsByClass)) {
      await labelImages(app, tokens.labeler, imageIds, className);
    }

    const train = async (epochs: number, batchSize = 4): Promise<TrainingJob> => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/models/${plotType.id}/train`,
        headers: auth(tokens.expert),
        payload: { epochs, batchSize, patience: 100, seed: 1 },
      });
      assert.equal(response.statusCode, 202, response.body);
      return response.json<TrainingJob>();
    };
    const cancel = (jobId: number, token = tokens.expert) =>
      app.inject({ method: 'POST', url: `/api/v1/training-jobs/${jobId}/cancel`, headers: auth(token) });
    const get = async (jobId: number): Promise<TrainingJob> =>
      (await app.inject({ url: `/api/v1/training-jobs/${jobId}`, headers: auth(tokens.viewer) })).json();
    const ended = (jobId: number) =>
      waitFor(
        async () => {
          const job = await get(jobId);
          return job.finishedAt !== null && job;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `training job ${jobId} to end` },
      );

    // Cancelled the moment it is created, while it has left the queue for a worker that has not started yet. Called
    // in-process, so that nothing runs between the two: through HTTP this window is open only now and then.
    const atOnce = await app.trainingQueue.create(
      plotType.id,
      {
        epochs: 500,
        batchSize: 4,
        adaptToSmallSet: true,
        patience: 100,
        seed: 1,
        activate: false,
        augment: true,
        balanceClasses: true,
        freezeBase: true,
        fineTuneEpochs: 0,
      },
      'test-expert',
    );
    await app.trainingQueue.cancel(atOnce.id);
    const atOnceEnded = await ended(atOnce.id);
    assert.equal(atOnceEnded.status, 'cancelled', atOnceEnded.log.join('\n'));
    assert.equal(atOnceEnded.modelVersionId, null);

    const running = await train(500);
    const queued = await train(1);
    assert.equal(queued.status, 'queued');
    const cancelledQueued = await cancel(queued.id);
    assert.equal(cancelledQueued.statusCode, 200, cancelledQueued.body);
    assert.equal(cancelledQueued.json<TrainingJob>().status, 'cancelled');
    assert.match(cancelledQueued.json<TrainingJob>().log.at(-1)!, /cancelled before it started/);

    assert.equal(
      (await cancel(running.id, tokens.labeler)).statusCode,
      403,
      'cancelling takes the expert role',
    );
    await waitFor(async () => (await get(running.id)).progress?.phase === 'step', {
      timeoutMs: 60_000,
      what: 'the first training step',
    });
    assert.equal((await cancel(running.id)).statusCode, 200);
    const runningEnded = await ended(running.id);
    assert.equal(runningEnded.status, 'cancelled', runningEnded.log.join('\n'));
    assert.equal(runningEnded.modelVersionId, null);
    const epoch = runningEnded.progress?.epoch ?? 0;
    assert.ok(epoch < 500, `stopped in epoch ${epoch} of 500`);

    for (const job of [atOnce, queued, running]) {
      const again = await cancel(job.id);
      assert.equal(again.statusCode, 409, again.body);
      assert.match(again.json<{ detail: string }>().detail, /is cancelled; only queued or running jobs/);
    }
    assert.equal((await cancel(999_999)).statusCode, 404);
    const versions = (
      await app.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) })
    ).json<ModelVersionList>();
    assert.deepEqual(versions.items, [], 'no cancelled job made a model version');

    // The queue goes on after cancels: the next job trains to the end and makes a version (16 plots may not be
    // enough for it to be useful). Batches of 3 make four of the 12 training images, so its one epoch stays one.
    const after = await train(1, 3);
    const afterEnded = await ended(after.id);
    assert.ok(['succeeded', 'not-useful'].includes(afterEnded.status), afterEnded.log.join('\n'));
    assert.notEqual(afterEnded.modelVersionId, null);
  });
}
