import { Type, type Static } from 'typebox';
import { SPLIT_NAMES } from '../enums.ts';
import { Id, Problem } from './common.ts';
import { Evaluation, ModelVersion } from './models.ts';
import { Name } from './names.ts';

// The Library's views of trained versions beyond their metrics: per-image split predictions, two versions compared
// on the test images they share, and the promotion gate (docs/library-api.md).

export const SplitPredictionsQuery = Type.Object({
  split: Type.Enum(SPLIT_NAMES),
  trueClass: Type.Optional(Name('Only images of this true class')),
  predictedClass: Type.Optional(Name('Only images predicted as this class')),
});
export type SplitPredictionsQuery = Static<typeof SplitPredictionsQuery>;

export const SplitPredictions = Type.Object({
  versionId: Type.Integer(),
  split: Type.Enum(SPLIT_NAMES),
  classes: Type.Array(Type.String()),
  items: Type.Array(
    Type.Object({
      imageId: Type.Integer(),
      trueClass: Type.String(),
      predictedClass: Type.String({ description: 'The most probable class' }),
      confidence: Type.Number({ description: "The predicted class's probability" }),
      probabilities: Type.Array(Type.Number(), { description: 'In the order of `classes`' }),
    }),
  ),
});
export type SplitPredictions = Static<typeof SplitPredictions>;

export const CompareQuery = Type.Object({ a: Id, b: Id });
export type CompareQuery = Static<typeof CompareQuery>;

const Call = Type.Object({ class: Type.String(), confidence: Type.Number() });

export const VersionComparison = Type.Object({
  a: ModelVersion,
  b: ModelVersion,
  sharedTestImages: Type.Integer({
    description: 'Images in both test splits, with the same true class in both',
  }),
  evaluations: Type.Union([Type.Object({ a: Evaluation, b: Evaluation }), Type.Null()], {
    description: 'Both versions on the shared test images; null when they share none',
  }),
  disagreements: Type.Array(
    Type.Object({ imageId: Type.Integer(), trueClass: Type.String(), a: Call, b: Call }),
    { description: 'Shared test images on which the two predict different classes' },
  ),
});
export type VersionComparison = Static<typeof VersionComparison>;

const Pair = Type.Object({ active: Type.Union([Type.Number(), Type.Null()]), candidate: Type.Number() });

export const GATE_VERDICTS = ['better', 'worse', 'no-active', 'not-comparable', 'trivial'] as const;

export const PromotionGate = Type.Object({
  verdict: Type.Enum(GATE_VERDICTS, {
    description:
      'worse: accuracy or Bad recall below the active version by more than the margin on the shared test images ' +
      '(activation needs confirmWorse and a reason); trivial: no better than always answering the majority class ' +
      '(never activated); not-comparable: no shared test images (an imported version, or disjoint splits)',
  }),
  margin: Type.Number({ description: 'HYDRA_PROMOTION_MARGIN' }),
  sharedTestImages: Type.Integer(),
  accuracy: Pair,
  badRecall: Type.Object(Pair.properties, {
    description: 'Recall of the classes of severity alarm, pooled',
  }),
  trivialAnswer: Type.Union([
    Type.Object({ answer: Type.String(), accuracy: Type.Number(), macroF1: Type.Number() }),
    Type.Null(),
  ]),
  reasons: Type.Array(Type.String()),
});
export type PromotionGate = Static<typeof PromotionGate>;

export const ActivateRequest = Type.Object({
  reason: Type.Optional(
    Type.String({
      maxLength: 500,
      description: 'Why; needed (3 characters or more) to promote a worse version',
    }),
  ),
  confirmWorse: Type.Optional(
    Type.Boolean({ description: 'Promote although the gate says the version is worse than the active one' }),
  ),
});
export type ActivateRequest = Static<typeof ActivateRequest>;

export const RollbackRequest = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export type RollbackRequest = Static<typeof RollbackRequest>;

export const GateProblem = Type.Object(
  { ...Problem.properties, gate: Type.Optional(PromotionGate) },
  {
    additionalProperties: true,
    description: 'A refusal of the promotion gate carries the gate it comes from',
  },
);
export type GateProblem = Static<typeof GateProblem>;
