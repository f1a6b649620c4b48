import { Type, type Static } from 'typebox';
import { IsoTime } from './common.ts';

export const AnomalyQuery = Type.Object({
  format: Type.Enum(['png', 'json'], { default: 'png' }),
});
export type AnomalyQuery = Static<typeof AnomalyQuery>;

export const AnomalyMap = Type.Object({
  imageId: Type.Integer(),
  modelVersionId: Type.Integer({ description: 'The autoencoder version' }),
  score: Type.Number({ description: 'The anomaly score: mean of the worst 1 % of the map' }),
  threshold: Type.Number({
    description: 'Calibrated on the plot type’s recent images for its target false-alarm rate',
  }),
  anomalous: Type.Boolean({ description: 'score > threshold' }),
  width: Type.Integer({ description: 'Of the map, in pixels of the model’s input' }),
  height: Type.Integer(),
  values: Type.Array(Type.Number(), {
    description: 'Row-major: each pixel’s squared reconstruction error over its usual error (1: as usual)',
  }),
});
export type AnomalyMap = Static<typeof AnomalyMap>;

export const AutoencoderTrainRequest = Type.Object({
  images: Type.Integer({
    minimum: 150,
    maximum: 20_000,
    default: 600,
    description:
      'The newest images of the plot type to use, unlabeled: two thirds to learn from, one third to calibrate on',
  }),
  epochs: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  batchSize: Type.Integer({ minimum: 2, maximum: 512, default: 16 }),
  learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  trimFraction: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 0.5,
      description: 'Share of each batch, worst reconstructed first, left out of its loss (0.05 by default)',
    }),
  ),
  targetFalseAlarmRate: Type.Number({
    exclusiveMinimum: 0,
    maximum: 0.5,
    default: 0.001,
    description:
      'The share of usual images the threshold may flag: 0.001 is one false alarm per 1,000 images',
  }),
  inputShape: Type.Array(Type.Integer({ minimum: 1, maximum: 1024 }), {
    minItems: 3,
    maxItems: 3,
    default: [64, 64, 3],
    description:
      '[h, w, channels]; h and w multiples of 8. [64, 64, 3] lets a small CNN start from its encoder',
  }),
  seed: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 1 }),
  activate: Type.Boolean({
    default: true,
    description: 'Make it the plot type’s autoencoder once calibrated',
  }),
});
export type AutoencoderTrainRequest = Static<typeof AutoencoderTrainRequest>;

export const AutoencoderTraining = Type.Object({
  status: Type.Enum(['training', 'completed', 'failed', 'cancelled']),
  epoch: Type.Integer(),
  epochs: Type.Integer(),
  loss: Type.Union([Type.Number(), Type.Null()], { description: 'Mean trimmed loss of the last epoch' }),
  trainImages: Type.Integer(),
  calibrationImages: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  modelVersionId: Type.Union([Type.Integer(), Type.Null()]),
  baseWeights: Type.Union([Type.String(), Type.Null()], {
    description:
      'Once completed: the `baseWeights` name with which a small CNN of the same input starts from its encoder',
  }),
  createdBy: Type.String(),
  startedAt: IsoTime,
  finishedAt: Type.Union([IsoTime, Type.Null()]),
});
export type AutoencoderTraining = Static<typeof AutoencoderTraining>;

/** A version whose scores are judged by a threshold calibrated on its plot type's recent images. */
const CalibratedVersion = Type.Object({
  modelVersionId: Type.Integer(),
  threshold: Type.Number(),
  targetFalseAlarmRate: Type.Number(),
  calibrationImages: Type.Integer(),
});

export const AutoencoderStatus = Type.Object({
  plotTypeId: Type.Integer(),
  training: Type.Union([AutoencoderTraining, Type.Null()], {
    description: 'The latest training since the server started; null: none',
  }),
  active: Type.Union([CalibratedVersion, Type.Null()]),
});
export type AutoencoderStatus = Static<typeof AutoencoderStatus>;

export const SiameseTrainRequest = Type.Object({
  calibrationImages: Type.Integer({
    minimum: 51,
    maximum: 20_000,
    default: 300,
    description:
      'The newest images of the plot type (labeled or not) whose distances from their medoid calibrate the threshold',
  }),
  epochs: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  batchSize: Type.Integer({ minimum: 2, maximum: 512, default: 16, description: 'Pairs per step' }),
  learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  margin: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 2,
      description: 'How far apart (of at most 2) plots of different classes are pushed (1 by default)',
    }),
  ),
  targetFalseAlarmRate: AutoencoderTrainRequest.properties.targetFalseAlarmRate,
  inputShape: Type.Array(Type.Integer({ minimum: 1, maximum: 1024 }), {
    minItems: 3,
    maxItems: 3,
    default: [64, 64, 3],
    description: '[h, w, channels]; h and w multiples of 8',
  }),
  seed: AutoencoderTrainRequest.properties.seed,
  activate: Type.Boolean({
    default: true,
    description: 'Make it the plot type’s Siamese encoder once calibrated: the next distances are its own',
  }),
});
export type SiameseTrainRequest = Static<typeof SiameseTrainRequest>;

const { baseWeights: _baseWeights, loss: _loss, ...trainingProperties } = AutoencoderTraining.properties;
export const SiameseTraining = Type.Object({
  ...trainingProperties,
  loss: Type.Union([Type.Number(), Type.Null()], { description: 'Mean contrastive loss of the last epoch' }),
  trainImages: Type.Integer({
    description: 'Labeled plots it learns from, in pairs of the same and other classes',
  }),
  classes: Type.Array(Type.String(), { description: 'The classes of the labeled plots it learns from' }),
});
export type SiameseTraining = Static<typeof SiameseTraining>;

export const SiameseStatus = Type.Object({
  plotTypeId: Type.Integer(),
  reference: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The current reference image, which every new plot is measured from; null: none set',
  }),
  training: Type.Union([SiameseTraining, Type.Null()], {
    description: 'The latest training since the server started; null: none',
  }),
  active: Type.Union([CalibratedVersion, Type.Null()], {
    description: 'The Siamese encoder that measures distances; null: the plain pixel distance (no threshold)',
  }),
});
export type SiameseStatus = Static<typeof SiameseStatus>;
