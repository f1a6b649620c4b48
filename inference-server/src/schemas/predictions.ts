import { Type, type Static } from 'typebox';
import { BEAM_STATES } from '../enums.ts';
import { ModelKind } from './models.ts';
import { DbInteger, IsoTime, Pagination } from './common.ts';

export const Prediction = Type.Object({
  id: Type.Integer(),
  imageId: Type.Integer(),
  deployment: Type.String(),
  plotType: Type.String(),
  run: Type.Union([Type.Integer(), Type.Null()]),
  modelVersionId: Type.Integer(),
  model: Type.String(),
  modelVersion: Type.Integer(),
  kind: ModelKind,
  probabilities: Type.Record(Type.String(), Type.Number(), { description: 'class name → probability' }),
  verdict: Type.String({ description: 'The most probable class' }),
  confidence: Type.Number({ description: 'Probability of the verdict' }),
  confirmed: Type.Boolean({ description: "Whether the confidence reaches the verdict class's threshold" }),
  beam: Type.Enum(BEAM_STATES, { description: 'The beam when the verdict was made (from EPICS)' }),
  latencyMs: Type.Number({ description: 'From acceptance of the image to the verdict' }),
  capturedAt: IsoTime,
  createdAt: IsoTime,
  reprocessJobId: Type.Optional(
    Type.Integer({
      description: 'Only on a reprocessed prediction: the job that made it (it is no live verdict)',
    }),
  ),
  anomalyScore: Type.Optional(
    Type.Number({
      description:
        'Only when the plot type had an active autoencoder: its reconstruction error of the image (beside the verdict, never in its place)',
    }),
  ),
  anomalous: Type.Optional(
    Type.Boolean({
      description:
        "Whether anomalyScore exceeded the autoencoder's threshold, calibrated for its target false-alarm rate",
    }),
  ),
  anomalyModelVersionId: Type.Optional(
    Type.Integer({ description: 'The autoencoder version that scored the image' }),
  ),
  referenceDistance: Type.Optional(
    Type.Number({
      description:
        "Only when the plot type had a reference: the image's distance from it (beside the verdict), by the Siamese " +
        'encoder of referenceModelVersionId, or else the root-mean-square difference of 16×16 grey block means',
    }),
  ),
  referenceImageId: Type.Optional(
    Type.Integer({
      description: 'The reference the distance was measured from (the current one at the time)',
    }),
  ),
  referenceModelVersionId: Type.Optional(
    Type.Integer({
      description: 'The Siamese encoder that measured referenceDistance; absent: the pixel distance',
    }),
  ),
  referenceAnomalous: Type.Optional(
    Type.Boolean({
      description:
        'Only with a Siamese encoder: whether referenceDistance exceeded its threshold, calibrated for its target false-alarm rate',
    }),
  ),
});
export type Prediction = Static<typeof Prediction>;

export const PredictionQuery = Type.Object({
  deployment: Type.Optional(Type.String()),
  plotType: Type.Optional(Type.String({ description: 'Needs `deployment`' })),
  run: Type.Optional(DbInteger()),
  verdict: Type.Optional(Type.String()),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  reprocessJobId: Type.Optional(
    DbInteger({ minimum: 1, description: "This reprocessing job's predictions instead of the live ones" }),
  ),
  ...Pagination,
});
export type PredictionQuery = Static<typeof PredictionQuery>;

export const PredictionList = Type.Object({ items: Type.Array(Prediction) });
export type PredictionList = Static<typeof PredictionList>;
