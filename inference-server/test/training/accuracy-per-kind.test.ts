import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelVersionList, TrainingJob } from '../../src/schemas/index.ts';
import { labelOfFailureMode, plotKinds, simulatePlot } from '../../src/simulator/index.ts';
import type { FailureModeName } from '../../src/simulator/index.ts';
import {
  auth,
  labelImages,
  createPlotType,
  httpClient,
  uploadPlot,
  waitForTrainingJob,
} from '../helpers/api.ts';
import { buildTestApp } from '../helpers/build-app.ts';

// The goal, checked on every plot kind through the HTTP API alone (a real socket, no inject), on wasm.
// Seed and size, stated so the figures can be reproduced: per kind, 300 Good and 300 Bad plots from simulator seed
// 11 (runs 1000…1599), the Bad ones cycling through the kind's Bad failure modes at normal strength; the split is
// 70/15/15 with seed 1 (90 held-out test images); the small CNN at 64×64 RGB, up to 15 epochs, batch 16,
// learning rate 2e-3, patience 4, no augmentation (the plots are drawn by one program, so shifts only blur them).
// A hot channel is left out: one straw or block is under one pixel at 64×64 (it needs a larger input).
// Two training workers: each kind's job trains while the next kind's plots are simulated and sent.
const PER_CLASS = 300;
const SEED = 11;
const GOAL = { accuracy: 0.95, badF1: 0.9 };
const TRAINING = {
  epochs: 15,
  batchSize: 16,
  learningRate: 0.002,
  patience: 4,
  augment: false,
  seed: 1,
  activate: true,
};

interface Evaluation {
  accuracy: number;
  classes: string[];
  perClass: Record<string, { f1: number }>;
  confusionMatrix: number[][];
}

test('the small CNN trained through the HTTP API reaches the goal on every plot kind', async (t) => {
  const { app, tokens } = await buildTestApp(t, 'sqlite', {
    HYDRA_WORKERS: '1',
    HYDRA_TRAINING_WORKERS: '2',
  });
  const api = httpClient(await app.listen({ host: '127.0.0.1', port: 0 }));
  const jobs: { kind: string; badModes: FailureModeName[]; plotTypeId: number; job: TrainingJob }[] = [];
  for (const kind of plotKinds) {
    const badModes = kind.failureModes.filter(
      (mode): mode is FailureModeName => labelOfFailureMode[mode] === 'Bad' && mode !== 'hot-channel',
    );
    const plotType = await createPlotType(api, tokens.admin, 'halld', kind.name);
    const idsByClass: Record<'Good' | 'Bad', number[]> = { Good: [], Bad: [] };
    for (let i = 0; i < 2 * PER_CLASS; i++) {
      const mode = i % 2 === 1 ? badModes[Math.floor(i / 2) % badModes.length] : undefined;
      const plot = await simulatePlot({
        kind,
        run: 1000 + i,
        seed: SEED,
        ...(mode && { fault: { mode, strength: 'normal' as const } }),
      });
      const { response, result } = await uploadPlot(
        api,
        tokens.ingest,
        { deployment: 'halld', plotType: kind.name, run: String(plot.run) },
        plot.png,
      );
      assert.ok(result, `upload ${i} of ${kind.name}: ${response.statusCode} ${response.body}`);
      idsByClass[mode ? 'Bad' : 'Good'].push(result.image.id);
    }
    for (const [className, imageIds] of Object.entries(idsByClass)) {
      await labelImages(api, tokens.labeler, imageIds, className);
    }

    const started = await api.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/train`,
      headers: auth(tokens.expert),
      payload: TRAINING,
    });
    assert.equal(started.statusCode, 202, started.body);
    jobs.push({ kind: kind.name, badModes, plotTypeId: plotType.id, job: started.json<TrainingJob>() });
  }

  const results: string[] = [];
  const misses: string[] = [];
  for (const { kind, badModes, plotTypeId, job } of jobs) {
    const finished = await waitForTrainingJob(api, tokens.viewer, job.id, 600_000);
    const versions = (
      await api.inject({ url: `/api/v1/models/${plotTypeId}`, headers: auth(tokens.viewer) })
    ).json<ModelVersionList>();
    const version = versions.items.find((v) => v.id === finished.modelVersionId);
    assert.equal(version?.status, 'active');
    const evaluation = version.metrics!.evaluation as Evaluation;
    assert.equal(
      evaluation.confusionMatrix.flat().reduce((sum, n) => sum + n, 0),
      job.splitSizes!.test,
    );
    const badF1 = evaluation.perClass.Bad!.f1;
    const line =
      `${kind}: accuracy ${evaluation.accuracy.toFixed(3)}, Bad F1 ${badF1.toFixed(3)}, ` +
      `confusion [${evaluation.classes.join(', ')}] ${JSON.stringify(evaluation.confusionMatrix)}, ` +
      `Bad modes ${badModes.join(' ')}, ${finished.log.at(-1)}`;
    results.push(line);
    if (evaluation.accuracy < GOAL.accuracy || badF1 < GOAL.badF1) misses.push(line);
  }
  console.log(`held-out results per plot kind:\n  ${results.join('\n  ')}`);
  assert.deepEqual(misses, [], `below ${JSON.stringify(GOAL)}`);
});
