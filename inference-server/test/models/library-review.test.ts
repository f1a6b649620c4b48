import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { decodeImage } from '../../src/ml/preprocess.ts';
import type {
  ActivationList,
  GateProblem,
  ModelVersion,
  PromotionGate,
  SplitPredictions,
  TrainingJob,
  VersionComparison,
} from '../../src/schemas/index.ts';
import { auth, createPlotType, labelImages, uploadPlot, waitForTrainingJob } from '../helpers/api.ts';
import { buildTestApp, ENGINES } from '../helpers/build-app.ts';

// A plot type built so that one version is worse than another by construction, not by luck:
// - Good plots are a uniform grey, NoData plots a uniform near-black;
// - Bad plots are a uniform colour whose grey level (as the server decodes to one channel) is exactly the Good grey.
// A version trained on RGB input can tell all three apart. A version trained on grayscale input sees a Bad plot and a
// Good plot as the same pixels, so it gets at most one of the two right: at most 4 of the 6 test images (2 per class).
const GREY = { r: 150, g: 150, b: 150 };
const BAD_COLOUR = { r: 200, g: 132, b: 132 };
const DARK = { r: 20, g: 20, b: 20 };
const PER_CLASS = 10;
const TRAINING = { epochs: 15, batchSize: 4, learningRate: 0.005, patience: 15, augment: false, seed: 1 };

const solid = (colour: typeof GREY) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
    .png()
    .toBuffer();

interface Library {
  app: FastifyInstance;
  tokens: Record<'admin' | 'ingest' | 'labeler' | 'expert' | 'viewer', string>;
}

async function uploadLabeled(
  { app, tokens }: Library,
  where: { deployment: string; plotType: string },
  classes: Record<string, Buffer>,
  perClass: number,
): Promise<void> {
  let run = 1000;
  for (const [className, png] of Object.entries(classes)) {
    const ids: number[] = [];
    for (let i = 0; i < perClass; i++) {
      const { result } = await uploadPlot(app, tokens.ingest, { ...where, run: String(run++) }, png);
      ids.push(result!.image.id);
    }
    await labelImages(app, tokens.labeler, ids, className);
  }
}

async function train(
  { app, tokens }: Library,
  plotTypeId: number,
  body: object,
  expected: TrainingJob['status'] = 'succeeded',
): Promise<{ job: TrainingJob; version: ModelVersion }> {
  const queued = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${plotTypeId}/train`,
    headers: auth(tokens.expert),
    payload: { ...TRAINING, ...body },
  });
  assert.equal(queued.statusCode, 202, queued.body);
  const job = await waitForTrainingJob(app, tokens.viewer, queued.json<TrainingJob>().id, 300_000, expected);
  const versions = await app.inject({ url: `/api/v1/models/${plotTypeId}`, headers: auth(tokens.viewer) });
  const version = versions.json<{ items: ModelVersion[] }>().items.find((v) => v.id === job.modelVersionId)!;
  return { job, version };
}

async function get<T>({ app, tokens }: Library, url: string, expected = 200): Promise<T> {
  const response = await app.inject({ url: `/api/v1/models/${url}`, headers: auth(tokens.viewer) });
  assert.equal(response.statusCode, expected, `${url}: ${response.body}`);
  return response.json<T>();
}

for (const engine of ENGINES) {
  test(`the Library on ${engine}: split predictions per cell, a comparison, and the promotion gate`, async (t) => {
    const { app, tokens } = await buildTestApp(t, engine);
    const library: Library = { app, tokens };
    const [greyPng, badPng, darkPng] = await Promise.all([solid(GREY), solid(BAD_COLOUR), solid(DARK)]);
    // The construction holds: Bad and Good are the same pixels in grayscale and differ in colour.
    const decode = (png: Buffer, channels: 1 | 3) => decodeImage(png, [16, 16, channels]);
    assert.deepEqual(await decode(badPng, 1), await decode(greyPng, 1));
    assert.notDeepEqual(await decode(badPng, 3), await decode(greyPng, 3));

    const plotType = await createPlotType(app, tokens.admin, 'halld', 'CDC_occupancy');
    const where = { deployment: 'halld', plotType: 'CDC_occupancy' };
    await uploadLabeled(library, where, { Good: greyPng, Bad: badPng, NoData: darkPng }, PER_CLASS);

    // The RGB version, activated (nothing is active yet).
    const first = await train(library, plotType.id, { inputShape: [16, 16, 3], activate: true });
    assert.equal(first.version.status, 'active', first.job.log.at(-1));
    const evaluation = first.version.metrics!.evaluation;
    assert.ok(
      evaluation.accuracy >= 5 / 6,
      `the RGB version tells the classes apart: ${evaluation.accuracy}`,
    );

    // Its split predictions: each confusion-matrix cell lists exactly as many images as the matrix counts.
    const test = await get<SplitPredictions>(
      library,
      `${plotType.id}/versions/${first.version.id}/split-predictions?split=test`,
    );
    assert.equal(test.items.length, first.job.splitSizes!.test);
    assert.deepEqual(test.classes, evaluation.classes);
    for (const [t, trueClass] of evaluation.classes.entries()) {
      for (const [p, predictedClass] of evaluation.classes.entries()) {
        const cell = await get<SplitPredictions>(
          library,
          `${plotType.id}/versions/${first.version.id}/split-predictions?split=test&trueClass=${trueClass}&predictedClass=${predictedClass}`,
        );
        assert.equal(
          cell.items.length,
          evaluation.confusionMatrix[t]![p],
          `cell ${trueClass} → ${predictedClass}`,
        );
        for (const item of cell.items) {
          assert.equal(item.trueClass, trueClass);
          assert.equal(item.predictedClass, predictedClass);
          assert.equal(item.confidence, Math.max(...item.probabilities));
        }
      }
    }
    const validation = await get<SplitPredictions>(
      library,
      `${plotType.id}/versions/${first.version.id}/split-predictions?split=validation&trueClass=Bad`,
    );
    assert.equal(validation.items.length, first.version.metrics!.validation.perClass.Bad!.support);

    // The grayscale version, on the same labels and seed (so the same test images): worse by construction.
    const second = await train(library, plotType.id, { inputShape: [16, 16, 1] });
    assert.equal(second.version.status, 'ready');
    const worseEvaluation = second.version.metrics!.evaluation;
    assert.ok(
      worseEvaluation.accuracy <= 4 / 6,
      `grayscale cannot tell Bad from Good: ${worseEvaluation.accuracy}`,
    );
    assert.ok(
      worseEvaluation.accuracy > second.version.metrics!.trivialAnswer.accuracy,
      `the grayscale version still tells NoData apart: ${JSON.stringify(worseEvaluation.confusionMatrix)}`,
    );

    const comparison = await get<VersionComparison>(
      library,
      `${plotType.id}/compare?a=${first.version.id}&b=${second.version.id}`,
    );
    assert.equal(comparison.sharedTestImages, test.items.length);
    assert.equal(comparison.evaluations!.a.accuracy, evaluation.accuracy);
    assert.equal(comparison.evaluations!.b.accuracy, worseEvaluation.accuracy);
    const secondTest = await get<SplitPredictions>(
      library,
      `${plotType.id}/versions/${second.version.id}/split-predictions?split=test`,
    );
    const secondCall = new Map(secondTest.items.map((item) => [item.imageId, item.predictedClass]));
    const disagreeing = test.items.filter((item) => secondCall.get(item.imageId) !== item.predictedClass);
    assert.ok(disagreeing.length >= 1, 'the grayscale version gets at least one Bad or Good image wrong');
    assert.deepEqual(
      comparison.disagreements.map((d) => [d.imageId, d.a.class, d.b.class]),
      disagreeing.map((item) => [item.imageId, item.predictedClass, secondCall.get(item.imageId)]),
    );

    // The gate: worse, with the figures and a sentence naming both versions.
    const gate = await get<PromotionGate>(library, `${plotType.id}/versions/${second.version.id}/gate`);
    assert.equal(gate.verdict, 'worse');
    assert.equal(gate.margin, 0.02);
    assert.equal(gate.sharedTestImages, test.items.length);
    assert.deepEqual(gate.accuracy, { active: evaluation.accuracy, candidate: worseEvaluation.accuracy });
    assert.match(gate.reasons[0]!, /^v2 has accuracy 0\.\d\d against v1's \d\.\d\d on 6 shared test images$/);
    const activeGate = await get<PromotionGate>(library, `${plotType.id}/versions/${first.version.id}/gate`);
    assert.equal(activeGate.verdict, 'better');

    const activate = (body?: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/models/${plotType.id}/versions/${second.version.id}/activate`,
        headers: auth(tokens.expert),
        ...(body && { payload: body }),
      });
    for (const body of [
      undefined,
      { reason: 'try it' },
      { confirmWorse: true },
      { confirmWorse: true, reason: ' a ' },
    ]) {
      const refused = await activate(body);
      assert.equal(refused.statusCode, 409, `${JSON.stringify(body)}: ${refused.body}`);
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      const problem = refused.json<GateProblem>();
      assert.deepEqual(problem.gate, gate);
      assert.match(problem.detail, /confirmWorse/);
    }
    assert.equal((await app.catalog.plotTypes.get(plotType.id)).active_model_version_id, first.version.id);
    const reason = 'trying the grayscale model for one shift';
    const promoted = await activate({ confirmWorse: true, reason });
    assert.equal(promoted.statusCode, 200, promoted.body);
    assert.equal(promoted.json<ModelVersion>().status, 'active');
    const rolledBack = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${plotType.id}/rollback`,
      headers: auth(tokens.expert),
      payload: { reason: 'grayscale misses Bad plots' },
    });
    assert.equal(rolledBack.statusCode, 200, rolledBack.body);
    const history = await get<ActivationList>(library, `${plotType.id}/activations`);
    assert.deepEqual(
      history.items.map((a) => [a.fromVersion, a.toVersion, a.reason.replace(/ \(test accuracy .*\)$/, '')]),
      [
        [2, 1, 'grayscale misses Bad plots'],
        [1, 2, reason],
        [null, 1, 'trained with activate'],
      ],
    );

    // A version that learned nothing (one picture for every class) is never activated, whatever the body.
    const other = await createPlotType(app, tokens.admin, 'gluex', 'FCAL_occupancy');
    await uploadLabeled(
      library,
      { deployment: 'gluex', plotType: 'FCAL_occupancy' },
      { Good: greyPng, Bad: greyPng },
      PER_CLASS,
    );
    const trivial = await train(library, other.id, { inputShape: [16, 16, 1], epochs: 2 }, 'not-useful');
    const trivialGate = await get<PromotionGate>(library, `${other.id}/versions/${trivial.version.id}/gate`);
    assert.equal(trivialGate.verdict, 'trivial');
    assert.deepEqual(trivialGate.trivialAnswer, trivial.version.metrics!.trivialAnswer);
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${other.id}/versions/${trivial.version.id}/activate`,
      headers: auth(tokens.expert),
      payload: { confirmWorse: true, reason: 'activate it anyway' },
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json<GateProblem>().gate!.verdict, 'trivial');
    assert.match(refused.json<GateProblem>().detail, /learned nothing.*never activated/);
    assert.equal((await app.catalog.plotTypes.get(other.id)).active_model_version_id, null);

    // Bad requests say what to fix.
    const cdc = `${plotType.id}/versions/${first.version.id}`;
    const unknownClass = await get<{ detail: string }>(
      library,
      `${cdc}/split-predictions?split=test&trueClass=Ugly`,
      400,
    );
    assert.match(unknownClass.detail, /no class "Ugly": its classes are Bad, Good, NoData/);
    await get(library, `${cdc}/split-predictions?split=train`, 400);
    await get(library, `${plotType.id}/versions/999999/split-predictions?split=test`, 404);
    const foreign = await get<{ detail: string }>(
      library,
      `${plotType.id}/versions/${trivial.version.id}/split-predictions?split=test`,
      400,
    );
    assert.match(foreign.detail, /belongs to another plot type than CDC_occupancy/);
    await get(library, `${plotType.id}/compare?a=${first.version.id}&b=${first.version.id}`, 400);
    await get(library, `${plotType.id}/compare?a=${first.version.id}&b=${trivial.version.id}`, 400);
    await get(library, `${plotType.id}/compare?a=${first.version.id}&b=999999`, 404);
    await get(library, `${plotType.id}/compare?a=${first.version.id}`, 400);
    await get(library, `999999/versions/${first.version.id}/gate`, 404);
  });
}
