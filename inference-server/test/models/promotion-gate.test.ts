import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelVersionRow, SplitPrediction } from '../../src/catalog/repositories/models-repository.ts';
import { evaluatePredictions } from '../../src/ml/evaluate.ts';
import { gateRefusal, promotionGate } from '../../src/models/promotion-gate.ts';
import { sharedTestImages } from '../../src/models/shared-test-images.ts';
import { trivialAnswer } from '../../src/models/trivial-answer.ts';
import type { ModelMetrics } from '../../src/schemas/models.ts';

const CLASSES = ['Good', 'Bad'];
// Ten shared test images: 0-5 Good, 6-9 Bad.
const TRUTH = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];

/** Test-split predictions that call the images as given (0 Good, 1 Bad), with confidence 0.9. */
function predictions(calls: number[], imageIds = TRUTH.map((_, i) => i + 1)): SplitPrediction[] {
  return calls.map((call, i) => ({
    split: 'test',
    imageId: imageIds[i]!,
    trueClass: CLASSES[TRUTH[i]!]!,
    probabilities: call === 0 ? [0.9, 0.1] : [0.1, 0.9],
    predictedClass: CLASSES[call]!,
    confidence: 0.9,
  }));
}

/** A trained version whose own test evaluation is these calls. */
function version(id: number, calls: number[]): ModelVersionRow {
  const evaluation = evaluatePredictions(
    predictions(calls).map((p) => p.probabilities),
    TRUTH,
    CLASSES,
  );
  return {
    id,
    model_id: 1,
    version: id,
    status: 'ready',
    kind: 'classifier',
    input_shape: [16, 16, 3],
    classes: CLASSES,
    thresholds: {},
    metrics: { evaluation, trivialAnswer: trivialAnswer(evaluation) } as ModelMetrics,
    artifact_path: `models/${id}`,
    backend: null,
    created_at: 0,
    activated_at: null,
    plot_type_id: 1,
    model_name: 'trained',
    architecture: 'small-cnn',
  };
}

function gateOf(candidateCalls: number[], activeCalls: number[] | null, margin = 0.02) {
  const candidate = version(2, candidateCalls);
  const active = activeCalls && version(1, activeCalls);
  const shared = active
    ? sharedTestImages(
        { version: candidate, test: predictions(candidateCalls) },
        { version: active, test: predictions(activeCalls!) },
      )
    : [];
  return promotionGate({ candidate, active, shared, alarmClasses: ['Bad'], margin });
}

const PERFECT = TRUTH;
// One Bad image (9) called Good: accuracy 0.9, Bad recall 0.75.
const MISSES_ONE_BAD = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0];
// One Good image (0) called Bad: accuracy 0.9, Bad recall 1.
const ONE_FALSE_ALARM = [1, 0, 0, 0, 0, 0, 1, 1, 1, 1];

test('a version below the active one by more than the margin is worse, and says by how much', () => {
  const gate = gateOf(MISSES_ONE_BAD, PERFECT);
  assert.equal(gate.verdict, 'worse');
  assert.deepEqual(gate.accuracy, { active: 1, candidate: 0.9 });
  assert.deepEqual(gate.badRecall, { active: 1, candidate: 0.75 });
  assert.equal(gate.sharedTestImages, 10);
  assert.deepEqual(gate.reasons, [
    "v2 has accuracy 0.90 against v1's 1.00 on 10 shared test images",
    "v2 has Bad recall 0.75 against v1's 1.00 on 10 shared test images",
  ]);
  // Within a margin of 0.1 the accuracy may fall by 0.1; Bad recall, by 0.25, still may not.
  assert.deepEqual(gateOf(MISSES_ONE_BAD, PERFECT, 0.1).reasons, [
    "v2 has Bad recall 0.75 against v1's 1.00 on 10 shared test images",
  ]);
  assert.equal(gateOf(MISSES_ONE_BAD, PERFECT, 0.25).verdict, 'better');
});

test('only Bad recall can make a version worse when accuracy is equal', () => {
  assert.equal(gateOf(MISSES_ONE_BAD, ONE_FALSE_ALARM, 0.02).verdict, 'worse');
  assert.equal(gateOf(ONE_FALSE_ALARM, MISSES_ONE_BAD, 0.02).verdict, 'better');
});

test('no active version, no shared images, or a trivial candidate: the other verdicts', () => {
  assert.equal(gateOf(PERFECT, null).verdict, 'no-active');
  assert.deepEqual(gateOf(PERFECT, null).accuracy, { active: null, candidate: 1 });

  const candidate = version(2, PERFECT);
  const active = version(1, PERFECT);
  const elsewhere = predictions(
    PERFECT,
    TRUTH.map((_, i) => 100 + i),
  );
  const disjoint = sharedTestImages(
    { version: candidate, test: predictions(PERFECT) },
    { version: active, test: elsewhere },
  );
  assert.equal(disjoint.length, 0);
  const gate = promotionGate({ candidate, active, shared: disjoint, alarmClasses: ['Bad'], margin: 0.02 });
  assert.equal(gate.verdict, 'not-comparable');
  assert.match(gate.reasons[0]!, /share no test images: their test splits have no image in common/);

  // Always Good: accuracy 0.6 like the trivial answer, so it learned nothing, whatever the active version.
  const alwaysGood = TRUTH.map(() => 0);
  assert.equal(gateOf(alwaysGood, PERFECT).verdict, 'trivial');
  assert.equal(gateOf(alwaysGood, null).verdict, 'trivial');
});

test('an image relabeled between two trainings is not shared', () => {
  const candidate = version(2, PERFECT);
  const active = version(1, PERFECT);
  const relabeled = predictions(PERFECT).map((p, i) => (i === 0 ? { ...p, trueClass: 'Bad' } : p));
  const shared = sharedTestImages(
    { version: candidate, test: predictions(PERFECT) },
    { version: active, test: relabeled },
  );
  assert.deepEqual(
    shared.map((image) => image.imageId),
    [2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

test('the refusals: a trivial version always, a worse one without a confirmation and a reason', () => {
  const worse = gateOf(MISSES_ONE_BAD, PERFECT);
  for (const promotion of [
    {},
    { confirmWorse: true },
    { confirmWorse: true, reason: '  ab ' },
    { reason: 'why not' },
  ]) {
    const refusal = gateRefusal(worse, promotion);
    assert.equal((refusal as { kind?: string } | undefined)?.kind, 'conflict', JSON.stringify(promotion));
  }
  assert.equal(gateRefusal(worse, { confirmWorse: true, reason: 'night shift test' }), undefined);
  assert.equal(gateRefusal(gateOf(PERFECT, MISSES_ONE_BAD), {}), undefined);
  const trivial = gateRefusal(
    gateOf(
      TRUTH.map(() => 0),
      PERFECT,
    ),
    { confirmWorse: true, reason: 'anyway' },
  );
  assert.equal((trivial as { kind?: string } | undefined)?.kind, 'learned-nothing');
});
