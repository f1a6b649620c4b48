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

export const AutoencoderStatus = Type.Object({
  plotTypeId: Type.Integer(),
  training: Type.Union([AutoencoderTraining, Type.Null()], {
    description: 'The latest training since the server started; null: none',
  }),
  active: Type.Union([
    Type.Object({
      modelVersionId: Type.Integer(),
      threshold: Type.Number(),
      targetFalseAlarmRate: Type.Number(),
      calibrationImages: Type.Integer(),
    }),
    Type.Null(),
  ]),
});
export type AutoencoderStatus = Static<typeof AutoencoderStatus>;
