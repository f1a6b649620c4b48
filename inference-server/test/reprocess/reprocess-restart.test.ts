import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { httpClient } from '../helpers/api.ts';
import { ENGINES, prepareEnvironment } from '../helpers/build-app.ts';
import { ServerProcess } from '../helpers/server-process.ts';
import { waitFor } from '../helpers/services.ts';
import { classifiedScene, getJob, jobPredictions, startReprocess, waitForJobEnd } from './reprocess-setup.ts';

for (const engine of ENGINES) {
  describe(`reprocessing across a restart (${engine})`, () => {
    test('a job interrupted by a killed server resumes at the next start and still gives one prediction per image', async (t) => {
      const environment = await prepareEnvironment(t, engine, {
        HYDRA_REPROCESS_BATCH_SIZE: '2',
        HYDRA_WORKERS: '1',
      });
      const server = await ServerProcess.start(environment.env);
      environment.defer(() => server.stop());
      const api = httpClient(server.url);
      const { tokens } = environment;
      // Large plots, so that decoding makes the job last long enough to be interrupted.
      const scene = await classifiedScene(api, tokens, { runs: [1, 2], perRun: 24, width: 800, height: 600 });
      const job = await startReprocess(api, tokens.expert, {
        deployment: 'halld',
        plotType: 'CDC_occupancy',
        runFrom: 1,
        runTo: 2,
        modelVersionId: scene.challenger.id,
      });

      await waitFor(async () => (await getJob(api, tokens.viewer, job.id)).done > 0, {
        intervalMs: 5,
        what: 'a first reprocessed image',
      });
      await server.kill();
      await server.start();
      const resumed = await getJob(api, tokens.viewer, job.id);
      assert.ok(resumed.done < resumed.total, `the kill interrupted the job (${JSON.stringify(resumed)})`);

      const ended = await waitForJobEnd(api, tokens.viewer, job.id);
      assert.equal(ended.status, 'completed');
      assert.deepEqual([ended.done, ended.failed], [48, 0]);
      const predictions = await jobPredictions(api, tokens.viewer, job.id);
      assert.equal(predictions.length, 48);
      assert.equal(new Set(predictions.map((p) => p.imageId)).size, 48, 'no image twice');
    });
  });
}
