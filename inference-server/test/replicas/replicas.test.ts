import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Catalog } from '../../src/catalog/catalog.ts';
import { createApiToken } from '../../src/plugins/app/auth.ts';
import type {
  ApiTokenList,
  LabelChange,
  ModelVersion,
  Prediction,
  ServerStatus,
  TrainingJob,
} from '../../src/schemas/index.ts';
import {
  auth,
  createPlotType,
  httpClient,
  labelImages,
  registerBrightnessModel,
  uploadPlot,
  waitForTrainingJob,
  type ApiClient,
} from '../helpers/api.ts';
import { prepareEnvironment } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { ServerProcess } from '../helpers/server-process.ts';
import { waitFor } from '../helpers/services.ts';
import { collectServerSentEvents } from '../helpers/sse.ts';

// The figure: 2,000 plots, 1,600 while both replicas run, 400 while replica B is killed among them. Small
// plots and the 32×32 brightness model keep the work per plot small; a short claim lease keeps the take-over short.
const BOTH_RUNNING = 1600;
const AROUND_THE_KILL = 400;
const LEASE_MS = 2000;
const UPLOADS_AT_ONCE = 8;
const HYDRA_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hydra.js');

test('two replicas on one PostgreSQL database and one data folder', async (t) => {
  const environment = await prepareEnvironment(t, 'postgres', {
    HYDRA_INFLUX_URL: '',
    HYDRA_WORKERS: '1',
    HYDRA_CLAIM_LEASE_MS: String(LEASE_MS),
  });
  const { tokens } = environment;
  const start = (name: string) => ServerProcess.start({ ...environment.env, HYDRA_INSTANCE_ID: name });
  const [a, b] = await Promise.all([start('replica-a'), start('replica-b')]);
  environment.defer(() => a.stop());
  environment.defer(() => b.stop());
  const apiA = httpClient(a.url);
  const apiB = httpClient(b.url);
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  environment.defer(() => db.end());
  const count = async (query: string, values: unknown[] = []) =>
    Number((await db.query<{ count: string }>(query, values)).rows[0]!.count);
  const status = async (api: ApiClient) =>
    (await api.inject({ url: '/api/v1/status', headers: auth(tokens.viewer) })).json<ServerStatus>();

  const plotType = await createPlotType(apiA, tokens.admin, 'halld', 'CDC_occupancy');
  const brightness = await registerBrightnessModel(apiA, tokens.expert, plotType.id);
  const follow = (server: ServerProcess) => {
    const stream = collectServerSentEvents<unknown>(`${server.url}/api/v1/events`, auth(tokens.viewer));
    environment.defer(stream.close);
    return stream;
  };
  const [streamA, streamB] = [follow(a), follow(b)];
  await Promise.all([streamA.connected, streamB.connected]);

  let seed = 0;
  /** Posts `total` plots, `UPLOADS_AT_ONCE` at a time, each to the replica `pick` names (retried on A if it fails). */
  const post = async (total: number, pick: (index: number) => ApiClient) => {
    const ids: number[] = [];
    let next = 0;
    const upload = async (index: number) => {
      const plotSeed = ++seed;
      const png = await plotPng({
        brightness: plotSeed % 2 ? 0.8 : 0.2,
        seed: plotSeed,
        width: 48,
        height: 32,
      });
      const fields = { deployment: 'halld', plotType: 'CDC_occupancy', run: String(1 + (plotSeed % 7)) };
      // A replica killed while it answers: the plot goes to the other, as a proxy would retry it (its dedup key
      // makes a second post of an image it had already stored the same image).
      const sent = await uploadPlot(pick(index), tokens.ingest, fields, png).catch(() =>
        uploadPlot(apiA, tokens.ingest, fields, png),
      );
      assert.ok(sent.response.statusCode < 300, sent.response.body);
      ids.push(sent.result!.image.id);
    };
    await Promise.all(
      Array.from({ length: UPLOADS_AT_ONCE }, async () => {
        while (next < total) await upload(next++);
      }),
    );
    return ids;
  };
  const allClassified = (what: string) =>
    waitFor(async () => (await count("select count(*) from image where status = 'pending'")) === 0, {
      timeoutMs: 240_000,
      intervalMs: 200,
      what,
    });

  let firstImages: number[] = [];
  await t.test('plots posted round-robin to both replicas are each classified once', async () => {
    firstImages = await post(BOTH_RUNNING, (index) => (index % 2 ? apiB : apiA));
    await allClassified('the first plots to be classified');
    assert.equal(await count("select count(*) from image where status = 'classified'"), BOTH_RUNNING);
    assert.equal(await count('select count(*) from prediction'), BOTH_RUNNING, 'one prediction per image');
    assert.equal(await count('select count(distinct image_id) from prediction'), BOTH_RUNNING);
    // Each replica counts the verdicts it stored itself: both worked, and together they made each verdict once.
    const [byA, byB] = await Promise.all([status(apiA), status(apiB)]);
    assert.ok(byA.latencyMs.samples > 0 && byB.latencyMs.samples > 0, 'both replicas classified plots');
    assert.equal(byA.latencyMs.samples + byB.latencyMs.samples, BOTH_RUNNING);
    assert.deepEqual([byA.instance, byB.instance], ['replica-a', 'replica-b']);
  });

  await t.test("each replica's event stream carries the predictions of both", async () => {
    const predictionIds = (await db.query<{ id: number }>('select id from prediction order by id')).rows.map(
      (row) => row.id,
    );
    for (const [name, stream] of [
      ['A', streamA],
      ['B', streamB],
    ] as const) {
      await waitFor(() => stream.ofType<Prediction>('prediction').length >= BOTH_RUNNING, {
        timeoutMs: 30_000,
        what: `replica ${name}'s stream to carry every prediction`,
      });
      const streamed = stream.ofType<Prediction>('prediction').map((prediction) => prediction.id);
      assert.deepEqual(
        [...streamed].sort((x, y) => x - y),
        predictionIds,
        `replica ${name}: each once`,
      );
    }
  });

  await t.test('labels applied on B reach the stream on A', async () => {
    await labelImages(apiB, tokens.labeler, firstImages.slice(0, 3), 'Good');
    const change = await waitFor(() => streamA.ofType<LabelChange>('label').at(-1), {
      what: 'a label event on A',
    });
    assert.equal(change.action, 'applied');
    assert.equal(change.user, 'test-labeler');
    assert.deepEqual(
      [...change.imageIds].sort((x, y) => x - y),
      firstImages.slice(0, 3).sort((x, y) => x - y),
    );
  });

  let trained: ModelVersion | undefined;
  await t.test('a training job runs once, on one replica, and both streams follow it', async () => {
    const bright = await db.query<{ id: number; verdict: string }>(
      'select image_id as id, verdict from prediction order by id limit 48',
    );
    for (const verdict of ['Good', 'Bad']) {
      const ids = bright.rows.filter((row) => row.verdict === verdict).map((row) => row.id);
      await labelImages(apiB, tokens.labeler, ids, verdict);
    }
    const created = await apiA.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/train`,
      headers: auth(tokens.expert),
      payload: {
        architecture: 'small-cnn',
        inputShape: [32, 32, 1],
        epochs: 6,
        batchSize: 8,
        augment: false,
        seed: 1,
      },
    });
    assert.equal(created.statusCode, 202, created.body);
    const job = await waitForTrainingJob(apiB, tokens.viewer, created.json<TrainingJob>().id, 180_000);
    const starts = job.log.filter((line) => / started on replica-[ab]:/.test(line));
    assert.equal(starts.length, 1, job.log.join('\n'));
    assert.equal(await count("select count(*) from training_job where status <> 'succeeded'"), 0);
    assert.equal(await count('select count(*) from model_version'), 2, 'one version made: the job ran once');
    for (const stream of [streamA, streamB]) {
      await waitFor(
        () => stream.ofType<TrainingJob>('training').some((event) => event.status === 'succeeded'),
        { what: 'the job to end on every stream' },
      );
    }
    const versions = (
      await apiA.inject({ url: `/api/v1/models/${plotType.id}`, headers: auth(tokens.viewer) })
    ).json<{ items: ModelVersion[] }>();
    trained = versions.items.find((version) => version.id === job.modelVersionId);
    assert.ok(trained);
  });

  await t.test(
    'a version activated through A predicts on B, and B frees the version it replaced',
    async () => {
      const activated = await apiA.inject({
        method: 'POST',
        url: `/api/v1/models/${plotType.id}/versions/${trained!.id}/activate`,
        headers: auth(tokens.expert),
      });
      assert.equal(activated.statusCode, 200, activated.body);
      await waitFor(
        () => b.log.includes(`version ${brightness.version} of model brightness is unloaded here`),
        {
          what: "B's log to say it freed the replaced version",
        },
      );
      const before = (await status(apiB)).latencyMs.samples;
      const ids = await post(20, () => apiB);
      await allClassified('the plots posted to B after the activation');
      const versions = await db.query<{ model_version_id: number }>(
        'select distinct model_version_id from prediction where image_id = any($1)',
        [ids],
      );
      assert.deepEqual(
        versions.rows.map((row) => row.model_version_id),
        [trained!.id],
      );
      assert.ok((await status(apiB)).latencyMs.samples > before, 'B classified some of them');
    },
  );

  await t.test('a token revoked through A is refused at once by B', async () => {
    const catalog = Catalog.open(environment.databaseUrl);
    const doomed = await createApiToken(catalog, 'doomed-script', 'viewer').finally(() => catalog.close());
    assert.equal((await apiB.inject({ url: '/api/v1/me', headers: auth(doomed) })).statusCode, 200);
    const listed = (
      await apiA.inject({ url: '/api/v1/tokens', headers: auth(tokens.admin) })
    ).json<ApiTokenList>();
    const entry = listed.items.find((token) => token.name === 'doomed-script')!;
    const revoked = await apiA.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${entry.id}`,
      headers: auth(tokens.admin),
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal((await apiB.inject({ url: '/api/v1/me', headers: auth(doomed) })).statusCode, 401);
  });

  await t.test('a replica named like a running one refuses to start', async () => {
    const twin = spawn(process.execPath, [HYDRA_BIN, 'serve'], {
      env: { ...process.env, ...environment.env, HYDRA_INSTANCE_ID: 'replica-a', HYDRA_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    twin.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    twin.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => twin.once('exit', resolve));
    assert.notEqual(code, 0);
    assert.match(output, /another running replica on this catalog is named "replica-a"/);
  });

  await t.test(
    'a replica killed among its batches loses nothing: each plot ends classified once',
    async () => {
      // B's stream ends with B; its part is done.
      await streamB.close();
      const heldByB = async () =>
        (
          await db.query<{ id: number }>(
            "select id from image where claimed_by = 'replica-b' and status = 'pending'",
          )
        ).rows.map((row) => row.id);
      let killed = false;
      let orphans: number[] = [];
      // Kills B while it holds claims, then sends every plot to A. B is frozen first and its claims read then: a
      // batch as small as these can end between a look at the catalog and the kill, and a frozen B can neither
      // end one nor renew its lease (2 s, far longer than this takes).
      const killer = (async () => {
        for (;;) {
          await waitFor(async () => (await heldByB()).length > 0, {
            timeoutMs: 120_000,
            intervalMs: 5,
            what: 'B to hold claims',
          });
          b.pause();
          if ((await heldByB()).length > 0) break;
          b.resume();
        }
        await b.kill();
        killed = true;
        // Read after the exit: a transaction B had open is rolled back by then, and its claims stay B's.
        orphans = await heldByB();
      })();
      await post(AROUND_THE_KILL, (index) => (index % 2 && !killed ? apiB : apiA));
      await killer;
      await allClassified('every plot to be classified after the kill');
      const total = BOTH_RUNNING + AROUND_THE_KILL + 20;
      assert.equal(await count('select count(*) from image'), total);
      const statuses = await db.query<{ status: string; count: string }>(
        'select status, count(*) from image group by status',
      );
      assert.equal(
        await count("select count(*) from image where status = 'classified'"),
        total,
        JSON.stringify(statuses.rows),
      );
      assert.equal(await count('select count(*) from prediction'), total, 'none twice');
      assert.equal(await count('select count(distinct image_id) from prediction'), total);
      // B held these when it died; A took them over once their lease ran out.
      assert.ok(orphans.length > 0, 'B died holding claims');
      const retaken = await db.query<{ id: number; status: string; attempts: number }>(
        'select id, status, attempts from image where id = any($1)',
        [orphans],
      );
      assert.equal(
        await count(
          "select count(*) from image where id = any($1) and status = 'classified' and attempts >= 2",
          [orphans],
        ),
        orphans.length,
        `each was claimed by B, then again by A: ${JSON.stringify(retaken.rows)}`,
      );
    },
  );
});
