import { Type, type Static } from 'typebox';
import { REPROCESS_JOB_STATUSES } from '../enums.ts';
import { DbInteger, Id, IsoTime } from './common.ts';
import { Name } from './names.ts';

/** A run range (runFrom, runTo) or a capture-time range (from, to), not both; one open end is allowed. */
export const ReprocessRequest = Type.Object({
  deployment: Name('The deployment of the plot type'),
  plotType: Name('The plot type whose images are reprocessed'),
  runFrom: Type.Optional(DbInteger({ description: 'First run of the range (inclusive)' })),
  runTo: Type.Optional(DbInteger({ description: 'Last run of the range (inclusive)' })),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  modelVersionId: Type.Optional(
    DbInteger({
      minimum: 1,
      description: "A version of the plot type's models (GET /models/{plotTypeId}); default: the active one",
    }),
  ),
});
export type ReprocessRequest = Static<typeof ReprocessRequest>;

export const ReprocessJob = Type.Object({
  id: Type.Integer(),
  deployment: Type.String(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  modelVersionId: Type.Integer(),
  model: Type.String(),
  modelVersion: Type.Integer(),
  runFrom: Type.Union([Type.Integer(), Type.Null()]),
  runTo: Type.Union([Type.Integer(), Type.Null()]),
  from: Type.Union([IsoTime, Type.Null()]),
  to: Type.Union([IsoTime, Type.Null()]),
  status: Type.Enum(REPROCESS_JOB_STATUSES, {
    description: 'queued (behind other jobs), running, completed (every image done or failed), cancelled',
  }),
  total: Type.Integer({ description: 'Images in the range when the job was made' }),
  done: Type.Integer({ description: 'Images with a prediction of the job' }),
  failed: Type.Integer({ description: 'Images that could not be classified (their reasons are in the log)' }),
  etaSeconds: Type.Union([
    Type.Number({ description: 'At the rate so far; null until the first image is done' }),
    Type.Null(),
  ]),
  createdBy: Type.String(),
  cancelledBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoTime,
  startedAt: Type.Union([IsoTime, Type.Null()]),
  finishedAt: Type.Union([IsoTime, Type.Null()]),
});
export type ReprocessJob = Static<typeof ReprocessJob>;

export const ReprocessJobList = Type.Object({ items: Type.Array(ReprocessJob) });
export type ReprocessJobList = Static<typeof ReprocessJobList>;

export const ReprocessJobQuery = Type.Object({ plotTypeId: Type.Optional(Id) });

export const ReprocessComparisonQuery = Type.Object({
  disagreeing: Type.Boolean({
    default: true,
    description: 'List only the images whose two verdicts differ (false: every reprocessed image)',
  }),
  limit: Type.Integer({ minimum: 0, maximum: 1000, default: 100, description: 'Images to list' }),
  offset: DbInteger({ default: 0 }),
});
export type ReprocessComparisonQuery = Static<typeof ReprocessComparisonQuery>;

const PairVerdict = Type.Object({
  predictionId: Type.Integer(),
  verdict: Type.String(),
  confidence: Type.Number(),
  modelVersionId: Type.Integer(),
});

export const ReprocessComparison = Type.Object({
  job: ReprocessJob,
  reprocessed: Type.Integer({ description: "Images with the job's prediction so far" }),
  compared: Type.Integer({ description: 'Of those, images that also have a live verdict' }),
  agreed: Type.Integer({ description: 'Compared images whose two verdicts are the same class' }),
  agreement: Type.Union([
    Type.Number({ description: 'agreed / compared; null when nothing is compared' }),
    Type.Null(),
  ]),
  liveVersions: Type.Array(
    Type.Object({
      modelVersionId: Type.Integer(),
      model: Type.String(),
      version: Type.Integer(),
      images: Type.Integer(),
    }),
    { description: 'The versions that made the live verdicts (a run period may span an activation)' },
  ),
  confusion: Type.Array(
    Type.Object({
      live: Type.Union([Type.String({ description: 'null: the image has no live verdict' }), Type.Null()]),
      reprocessed: Type.String(),
      count: Type.Integer(),
    }),
    { description: 'Images per pair of verdicts (live, reprocessed)' },
  ),
  pairs: Type.Array(
    Type.Object({
      imageId: Type.Integer(),
      run: Type.Union([Type.Integer(), Type.Null()]),
      capturedAt: IsoTime,
      live: Type.Union([PairVerdict, Type.Null()], { description: 'null: the image has no live verdict' }),
      reprocessed: PairVerdict,
    }),
    {
      description:
        'Image by image, the live verdict beside the reprocessed one, in image order (disagreeing, limit, offset)',
    },
  ),
});
export type ReprocessComparison = Static<typeof ReprocessComparison>;
