import { Type, type Static } from 'typebox';
import { ARCHITECTURES, TRAINING_JOB_STATUSES } from '../enums.ts';
import { DbInteger, IsoTime } from './common.ts';

export const Architecture = Type.Enum(ARCHITECTURES, {
  description:
    'small-cnn trains in minutes on a CPU; inceptionv3 and vgg16 want a GPU. Default: inceptionv3 where the server ' +
    'runs on tensorflow-gpu, else small-cnn',
});

export const TrainRequest = Type.Object({
  architecture: Type.Optional(Architecture),
  inputShape: Type.Optional(
    Type.Array(Type.Integer({ minimum: 1, maximum: 1024 }), {
      minItems: 3,
      maxItems: 3,
      description: '[h, w, channels]',
    }),
  ),
  epochs: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  batchSize: Type.Integer({ minimum: 1, maximum: 512, default: 16 }),
  adaptToSmallSet: Type.Boolean({
    default: true,
    description:
      'A training split of fewer than 4 batches trains in smaller batches for at least 100 steps (the job log says ' +
      'so); false keeps epochs and batchSize exactly as given',
  }),
  learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  patience: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  augment: Type.Boolean({
    default: true,
    description: 'Light shifts and brightness changes of training images; off for plots drawn by one program',
  }),
  balanceClasses: Type.Boolean({
    default: true,
    description: "Weight each class's loss by its rarity, so that a rare Bad counts as much as Good",
  }),
  baseWeights: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      maxLength: 200,
      description:
        "Transfer learning: a folder under the data folder's weights/ holding a TF.js layers model (e.g. ImageNet " +
        'weights converted from Keras); its layers that match by name and shape start the new model',
    }),
  ),
  freezeBase: Type.Boolean({
    default: true,
    description: 'With baseWeights: only the layers the base does not fill (the new head) learn',
  }),
  fineTuneEpochs: Type.Integer({
    minimum: 0,
    maximum: 500,
    default: 0,
    description:
      'With a frozen base: epochs of fine-tuning of every layer afterwards, at a tenth of the step size',
  }),
  seed: DbInteger({ default: 1, description: 'Seeds the split, the initial weights and the batch order' }),
  trainFraction: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description:
        'Learn from this share of the training split only, in each class (the validation and test splits stay as ' +
        'they are, so the version compares with others of the same seed on the same test images): e.g. 0.1 to ' +
        'see what the other labels are worth',
    }),
  ),
  activate: Type.Boolean({
    default: false,
    description: 'Make the new version active when training succeeds (a not-useful version never is)',
  }),
});
export type TrainRequest = Static<typeof TrainRequest>;

export const TrainingProgress = Type.Object({
  phase: Type.Enum(['step', 'epoch']),
  epoch: Type.Integer({ description: '1-based' }),
  epochs: Type.Integer(),
  step: Type.Integer({ description: '1-based, within the epoch' }),
  steps: Type.Integer({ description: 'Steps per epoch' }),
  loss: Type.Number({ description: "Mean over the epoch's batches so far (class-weighted, as optimised)" }),
  accuracy: Type.Number(),
  valLoss: Type.Optional(Type.Number({ description: 'On epoch reports' })),
  valAccuracy: Type.Optional(Type.Number({ description: 'On epoch reports' })),
  etaSeconds: Type.Number({ description: 'Time left if every epoch runs (early stopping can end sooner)' }),
});
export type TrainingProgress = Static<typeof TrainingProgress>;

export const TrainingJob = Type.Object({
  id: Type.Integer(),
  deployment: Type.String(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  status: Type.Enum(TRAINING_JOB_STATUSES, {
    description:
      'not-useful: trained to the end, but no better than always answering the most frequent class on the test or ' +
      'validation split (error says by how much); its version is kept for inspection and never activated',
  }),
  architecture: Type.String(),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  splitSizes: Type.Union([
    Type.Object({ train: Type.Integer(), validation: Type.Integer(), test: Type.Integer() }),
    Type.Null(),
  ]),
  progress: Type.Union([TrainingProgress, Type.Null()]),
  log: Type.Array(Type.String()),
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'Why a failed job failed, or why a not-useful one is not useful',
  }),
  modelVersionId: Type.Union([Type.Integer(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: IsoTime,
  startedAt: Type.Union([IsoTime, Type.Null()]),
  finishedAt: Type.Union([IsoTime, Type.Null()]),
});
export type TrainingJob = Static<typeof TrainingJob>;

export const TrainingJobList = Type.Object({ items: Type.Array(TrainingJob) });
export type TrainingJobList = Static<typeof TrainingJobList>;
