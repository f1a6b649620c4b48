import { Type, type Static } from 'typebox';
import { BACKENDS, MODEL_KINDS, MODEL_VERSION_STATUSES } from '../enums.ts';
import { Id, IsoTime } from './common.ts';
import { Name } from './names.ts';

export const ModelVersionStatus = Type.Enum(MODEL_VERSION_STATUSES);
export const ModelKind = Type.Enum(MODEL_KINDS, {
  description: 'How the outputs become a verdict: classifier (softmax over the classes)',
});

const Counts = Type.Array(Type.Integer());

/** A classifier's metrics on one labeled split. */
export const Evaluation = Type.Object({
  classes: Type.Array(Type.String()),
  images: Type.Integer(),
  accuracy: Type.Number(),
  macroF1: Type.Number({ description: 'Mean F1 over the classes that have images in the split' }),
  confusionMatrix: Type.Array(Counts, { description: 'confusionMatrix[true][predicted]: image counts' }),
  confidenceHistograms: Type.Array(Type.Array(Counts), {
    description:
      'The enhanced confusion matrix: [true][predicted][bin] counts that cell by the confidence of the prediction, ' +
      'in ten bins of [0, 1]; confident mistakes are mass in the top bins off the diagonal',
  }),
  perClass: Type.Record(
    Type.String(),
    Type.Object({
      precision: Type.Number(),
      recall: Type.Number(),
      f1: Type.Number(),
      support: Type.Integer({ description: 'Images of this class in the split' }),
    }),
  ),
});
export type Evaluation = Static<typeof Evaluation>;

const Curve = Type.Array(Type.Number());

/** What a training job measured: the Library page draws its curves and confusion matrices. */
export const ModelMetrics = Type.Object({
  history: Type.Object(
    { loss: Curve, accuracy: Curve, valLoss: Curve, valAccuracy: Curve },
    { description: 'Per epoch: the loss and accuracy curves of the training and validation splits' },
  ),
  evaluation: Evaluation,
  validation: Evaluation,
  trivialAnswer: Type.Object(
    { answer: Type.String(), accuracy: Type.Number(), macroF1: Type.Number() },
    {
      description:
        'What always answering the most frequent class scores on the test split: a version that does not beat it ' +
        'is never activated',
    },
  ),
  splitSizes: Type.Object({ train: Type.Integer(), validation: Type.Integer(), test: Type.Integer() }),
  timings: Type.Object({
    totalMs: Type.Number(),
    trainMs: Type.Number(),
    msPerStep: Type.Number(),
    evaluateMs: Type.Number(),
    saveMs: Type.Number(),
  }),
  steps: Type.Integer(),
  epochsRun: Type.Integer(),
  bestEpoch: Type.Integer({
    description:
      '1-based epoch whose weights were kept: of the lowest validation loss among the epochs that beat always ' +
      'answering the most frequent validation class (among all epochs if none did)',
  }),
  stoppedEarly: Type.Boolean(),
  backend: Type.Enum(BACKENDS),
  seed: Type.Integer(),
  trainingJobId: Type.Integer(),
});
export type ModelMetrics = Static<typeof ModelMetrics>;

export const ModelVersion = Type.Object({
  id: Type.Integer(),
  plotTypeId: Type.Integer(),
  model: Type.String(),
  architecture: Type.String(),
  version: Type.Integer(),
  status: ModelVersionStatus,
  kind: ModelKind,
  inputShape: Type.Array(Type.Integer(), {
    minItems: 3,
    maxItems: 3,
    description: '[height, width, channels]',
  }),
  classes: Type.Array(Type.String()),
  thresholds: Type.Record(Type.String(), Type.Number()),
  metrics: Type.Union([ModelMetrics, Type.Null()], {
    description:
      'For trained versions: curves, the test and validation evaluations, split sizes, timings; null for imports',
  }),
  createdAt: IsoTime,
});
export type ModelVersion = Static<typeof ModelVersion>;

export const ModelVersionList = Type.Object({ items: Type.Array(ModelVersion) });
export type ModelVersionList = Static<typeof ModelVersionList>;

export const ModelLibraryParams = Type.Object({ plotTypeId: Id });
export type ModelLibraryParams = Static<typeof ModelLibraryParams>;

export const VersionParams = Type.Object({
  plotTypeId: Id,
  versionId: Id,
});
export type VersionParams = Static<typeof VersionParams>;

/** The multipart fields that go with model.json and its weight files. */
export const ModelUploadFields = Type.Object({
  name: Type.Optional(Name('Model name', { default: 'default' })),
  architecture: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'custom' })),
  classes: Type.Array(Name('Class name'), { minItems: 2, maxItems: 100 }),
  thresholds: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }))),
  activate: Type.Optional(Type.Boolean()),
});
export type ModelUploadFields = Static<typeof ModelUploadFields>;

export const VersionAgreement = Type.Object({
  modelVersionId: Type.Integer(),
  version: Type.Integer(),
  agreed: Type.Integer({ description: 'Human labels, given after the prediction, that matched the verdict' }),
  labeled: Type.Integer(),
  rate: Type.Union([Type.Number(), Type.Null()]),
  daily: Type.Array(Type.Object({ day: Type.String(), agreed: Type.Integer(), labeled: Type.Integer() })),
});

export type VersionAgreement = Static<typeof VersionAgreement>;

export const AgreementList = Type.Object({ items: Type.Array(VersionAgreement) });
export type AgreementList = Static<typeof AgreementList>;

export const ModelVersionPatch = Type.Object({
  thresholds: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }))),
  status: Type.Optional(
    Type.Enum(['ready', 'retired'], { description: 'Retire a version, or bring it back' }),
  ),
});
export type ModelVersionPatch = Static<typeof ModelVersionPatch>;

/** One change of a plot type's active version: the Library page's history. */
export const Activation = Type.Object({
  id: Type.Integer(),
  plotTypeId: Type.Integer(),
  model: Type.String({ description: 'The model of the version made active' }),
  fromVersionId: Type.Union([Type.Integer(), Type.Null()]),
  fromVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'null: no version was active' }),
  toVersionId: Type.Integer(),
  toVersion: Type.Integer(),
  actor: Type.String({ description: 'Who made the change (a token name, or training job N)' }),
  reason: Type.String(),
  createdAt: IsoTime,
});
export type Activation = Static<typeof Activation>;

export const ActivationList = Type.Object({ items: Type.Array(Activation) });
export type ActivationList = Static<typeof ActivationList>;
