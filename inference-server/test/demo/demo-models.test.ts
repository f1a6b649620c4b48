import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainDemoModels } from '../../src/demo/demo-models.ts';
import { labelFor, resolvePlotKind, simulatePlot } from '../../src/simulator/index.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { waitFor } from '../helpers/services.ts';

const KINDS = ['SC_occupancy', 'L1_trigger_rate'];

test('the demo trains a model for each plot type without one, and verdicts flow from it', async (t) => {
  const { app } = await buildTestApp(t, 'sqlite', { HYDRA_WORKERS: '1' });
  const deployment = await app.catalog.deployments.ensure('demo');
  const plotTypes = await Promise.all(KINDS.map((kind) => app.catalog.plotTypes.ensure(deployment.id, kind)));
  const train = () =>
    trainDemoModels({
      catalog: app.catalog,
      ingest: app.ingest,
      trainingQueue: app.trainingQueue,
      logger: app.log,
      deployment: 'demo',
      perClass: 8,
      seed: 3,
      // Enough to clear the trivial-answer gate on every run (2 epochs of 6 plots did not always); the demo's own schedule is longer.
      training: { epochs: 8 },
    });

  const jobIds = await train();
  assert.equal(jobIds.length, KINDS.length);
  // The demo queues its jobs in the catalog's order of plot types, not in KINDS order.
  const jobs = await Promise.all(jobIds.map((id) => app.catalog.trainingJobs.get(id)));
  for (const plotType of plotTypes) {
    const jobId = jobs.find((job) => job.plot_type_id === plotType.id)!.id;
    const versionId = await waitFor(
      async () => {
        const job = await app.catalog.trainingJobs.get(jobId);
        if (job.status === 'failed' || job.status === 'not-useful') {
          throw new Error(`demo training ${job.status}: ${job.error}\n${job.log}`);
        }
        if (job.status !== 'succeeded') return false;
        const active = (await app.catalog.plotTypes.get(plotType.id)).active_model_version_id;
        // A model the trivial-answer gate kept back fails here with the job's reason, not after a timeout.
        if (active === null) throw new Error(`the ${plotType.name} demo model was not activated: ${job.log}`);
        return active;
      },
      { timeoutMs: 240_000, intervalMs: 500, what: `the ${plotType.name} demo model` },
    );
    const version = await app.catalog.models.getVersion(versionId);
    // One class per label that the kind's failure modes give, and Good.
    const kind = resolvePlotKind(plotType.name);
    const expected = new Set(['Good', ...kind.failureModes.map((mode) => labelFor(mode))]);
    assert.deepEqual(new Set(version.classes), expected);
    // Labeled as a labeller would: 8 plots of every class.
    const labeled = await app.catalog.labels.currentLabels(plotType.id);
    assert.equal(labeled.length, 8 * expected.size);
  }

  // A later start leaves trained plot types alone.
  assert.deepEqual(await train(), []);

  // A live plot is now classified by the demo model, not stored as no_model.
  const plot = await simulatePlot({ kind: KINDS[0]!, run: 2000, seed: 9 });
  const { image } = await app.ingest.accept({
    content: plot.png,
    deployment: 'demo',
    plotType: KINDS[0]!,
    run: 2000,
  });
  assert.equal(image.status, 'pending');
  const prediction = await waitFor(() => app.catalog.predictions.latestForImage(image.id), {
    what: 'a verdict from the demo model',
  });
  const { active_model_version_id } = await app.catalog.plotTypes.get(plotTypes[0]!.id);
  assert.equal(prediction.modelVersionId, active_model_version_id);
});
