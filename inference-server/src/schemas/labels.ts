import { Type, type Static } from 'typebox';
import { LABEL_ACTIONS, LABEL_FILTERS, LABEL_SORTS, LABEL_SOURCES } from '../enums.ts';
import { DbInteger, Id, IsoTime, Pagination } from './common.ts';
import { Name } from './names.ts';

const NullableScore = (description: string) =>
  Type.Union([Type.Number(), Type.Null()], { description: `${description}; null without one` });

export const LabelSource = Type.Enum(LABEL_SOURCES);
export type LabelSource = Static<typeof LabelSource>;

export const Label = Type.Object({
  id: Type.Integer(),
  imageId: Type.Integer(),
  class: Type.String(),
  source: LabelSource,
  user: Type.String({ description: 'Who labeled: the API token name' }),
  createdAt: IsoTime,
  supersededAt: Type.Union([IsoTime, Type.Null()], {
    description: 'Set when a newer label replaced this one, or its batch was undone',
  }),
  batchId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The apply it came with (null: before batches)',
  }),
});
export type Label = Static<typeof Label>;

/** Several requests of one Labeler Apply (a batch per class) share it, so that the Apply is undone as one. */
const ApplyId = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description:
    'The client Apply this batch is part of (one Apply writes a batch per class); letters, digits, _ and -',
});

export const LabelBody = Type.Object({
  // One insert holds every label, at six parameters a row; SQLite takes at most 32,766 in one statement.
  imageIds: Type.Array(Id, { minItems: 1, maxItems: 5_000 }),
  class: Name('Class name'),
  source: Type.Optional(LabelSource),
  applyId: Type.Optional(ApplyId),
});
export type LabelBody = Static<typeof LabelBody>;

export const LabelList = Type.Object({ items: Type.Array(Label) });
export type LabelList = Static<typeof LabelList>;

export const AppliedLabels = Type.Object({
  items: Type.Array(Label),
  batchId: Type.Integer({ description: 'Undo it with POST /api/v1/labels/batches/{batchId}/undo' }),
});
export type AppliedLabels = Static<typeof AppliedLabels>;

/** An image as the labeler sees it: its current label (if any) and its latest verdict (if any). */
export const LabeledImage = Type.Object({
  imageId: Type.Integer(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  run: Type.Union([Type.Integer(), Type.Null()]),
  capturedAt: IsoTime,
  status: Type.String(),
  thumbnailUrl: Type.String(),
  fileUrl: Type.String(),
  label: Type.Union([
    Type.Object({
      id: Type.Integer(),
      class: Type.String(),
      source: LabelSource,
      user: Type.String(),
      createdAt: IsoTime,
      batchId: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  verdict: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Union([Type.Number(), Type.Null()]),
  margin: NullableScore('Top-1 minus top-2 probability of the latest verdict'),
  entropy: NullableScore('Entropy of the latest verdict’s probabilities, in nats'),
  mistakenness: NullableScore('The latest verdict’s confidence when it disagrees with the current label'),
  uniqueness: NullableScore(
    'How unlike the plot type’s other images it was at their latest clustering (GET /plot-types/:id/clusters): the share of those images less unique than it',
  ),
});
export type LabeledImage = Static<typeof LabeledImage>;

export const LabeledImageList = Type.Object({ items: Type.Array(LabeledImage) });
export type LabeledImageList = Static<typeof LabeledImageList>;

/** What selects the labeler's images: the queue's filters, and the query of a label-by-filter. */
const labelFilters = {
  plotTypeId: Type.Optional(Id),
  filter: Type.Enum(LABEL_FILTERS, {
    default: 'all',
    description: 'disagreement: the current label differs from the latest verdict',
  }),
  labeledAs: Type.Optional(Name('Current label class (implies labeled)')),
  labeledBy: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Who gave the current label' }),
  ),
  maxConfidence: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: 'Only latest verdicts less confident than this' }),
  ),
  runFrom: Type.Optional(DbInteger()),
  runTo: Type.Optional(DbInteger()),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
};

export const LabelFilterQuery = Type.Object(labelFilters);
export type LabelFilterQuery = Static<typeof LabelFilterQuery>;

const labelOrder = {
  ...labelFilters,
  sort: Type.Enum(LABEL_SORTS, {
    default: 'newest',
    description:
      'Sorts other than newest need plotTypeId; run and the scores list only the images that have the value',
  }),
};

export const LabelQuery = Type.Object({ ...labelOrder, ...Pagination });
export type LabelQuery = Static<typeof LabelQuery>;

export const LabelCountQuery = Type.Object(labelOrder);
export type LabelCountQuery = Static<typeof LabelCountQuery>;

export const LabelCount = Type.Object({
  total: Type.Integer({ description: 'All images the filters match in that order, not only a page' }),
});
export type LabelCount = Static<typeof LabelCount>;

export const LabelByFilterBody = Type.Object({
  query: LabelFilterQuery,
  class: Name('Class name'),
  expectedCount: Type.Integer({ minimum: 1, maximum: 100_000, description: 'The count the user confirmed' }),
  applyId: Type.Optional(ApplyId),
});
export type LabelByFilterBody = Static<typeof LabelByFilterBody>;

export const LabelByFilterResult = Type.Object({ batchId: Type.Integer(), count: Type.Integer() });
export type LabelByFilterResult = Static<typeof LabelByFilterResult>;

export const LabelBatch = Type.Object({
  id: Type.Integer(),
  user: Type.String(),
  class: Type.String(),
  source: LabelSource,
  count: Type.Integer(),
  createdAt: IsoTime,
  undoneAt: Type.Union([IsoTime, Type.Null()]),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  applyId: Type.Union([Type.String(), Type.Null()], { description: 'As the client sent it' }),
});
export type LabelBatch = Static<typeof LabelBatch>;

export const LabelAction = Type.Enum(LABEL_ACTIONS);
export type LabelAction = Static<typeof LabelAction>;

/** The live `label` event: a batch of labels was applied, undone or redone, on whichever replica. */
export const LabelChange = Type.Object({
  id: Type.Integer({ description: 'The label batch' }),
  action: LabelAction,
  deployment: Type.String(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  class: Type.String(),
  source: LabelSource,
  user: Type.String(),
  count: Type.Integer({ description: 'Images in the batch' }),
  imageIds: Type.Array(Type.Integer(), {
    description:
      'Images of the batch, the first 1,000 of a larger one (fewer than count: reload what is shown)',
  }),
});
export type LabelChange = Static<typeof LabelChange>;

export const LabelBatchList = Type.Object({ items: Type.Array(LabelBatch) });
export type LabelBatchList = Static<typeof LabelBatchList>;

export const LabelBatchQuery = Type.Object({
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
});
export type LabelBatchQuery = Static<typeof LabelBatchQuery>;

export const LeaderboardQuery = Type.Object({
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  deploymentId: Type.Optional(Id),
});
export type LeaderboardQuery = Static<typeof LeaderboardQuery>;

export const Leaderboard = Type.Object({
  people: Type.Array(Type.Object({ user: Type.String(), labels: Type.Integer() })),
  perHour: Type.Array(Type.Object({ hour: IsoTime, labels: Type.Integer() }), {
    description: 'Hours with labels, oldest first; `hour` is its start',
  }),
});
export type Leaderboard = Static<typeof Leaderboard>;

export const ReferenceBody = Type.Object({ imageId: Id });
export type ReferenceBody = Static<typeof ReferenceBody>;

export const Reference = Type.Object({
  plotTypeId: Type.Integer(),
  imageId: Type.Integer(),
  setBy: Type.String(),
  createdAt: IsoTime,
  fileUrl: Type.String(),
  thumbnailUrl: Type.String(),
});
export type Reference = Static<typeof Reference>;

export const ReferenceList = Type.Object({ items: Type.Array(Reference) });
export type ReferenceList = Static<typeof ReferenceList>;

export const GradCamQuery = Type.Object({
  class: Type.Optional(Name('Default: the verdict of the latest prediction')),
  format: Type.Enum(['png', 'json'], { default: 'png' }),
});
export type GradCamQuery = Static<typeof GradCamQuery>;

export const GradCamMap = Type.Object({
  imageId: Type.Integer(),
  modelVersionId: Type.Integer(),
  class: Type.String(),
  width: Type.Integer({ description: 'Of the map, in cells' }),
  height: Type.Integer(),
  values: Type.Array(Type.Number(), { description: 'Row-major, normalised to [0, 1]' }),
});
export type GradCamMap = Static<typeof GradCamMap>;
