import { Type, type Static } from 'typebox';
import { LABEL_FILTERS, LABEL_SOURCES } from '../enums.ts';
import { DbInteger, Id, IsoTime, Pagination } from './common.ts';
import { Name } from './names.ts';

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
    description: 'Set when a newer label replaced this one',
  }),
});
export type Label = Static<typeof Label>;

export const LabelBody = Type.Object({
  // One insert holds every label, at six parameters a row; SQLite takes at most 32,766 in one statement.
  imageIds: Type.Array(Id, { minItems: 1, maxItems: 5_000 }),
  class: Name('Class name'),
  source: Type.Optional(LabelSource),
});
export type LabelBody = Static<typeof LabelBody>;

export const LabelList = Type.Object({ items: Type.Array(Label) });
export type LabelList = Static<typeof LabelList>;

/** An image as the labeler sees it: its current label (if any) and its latest verdict (if any). */
export const LabeledImage = Type.Object({
  imageId: Type.Integer(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  run: Type.Union([Type.Integer(), Type.Null()]),
  capturedAt: IsoTime,
  status: Type.String(),
  thumbnailUrl: Type.String(),
  label: Type.Union([
    Type.Object({
      id: Type.Integer(),
      class: Type.String(),
      source: LabelSource,
      user: Type.String(),
      createdAt: IsoTime,
    }),
    Type.Null(),
  ]),
  verdict: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Union([Type.Number(), Type.Null()]),
});
export type LabeledImage = Static<typeof LabeledImage>;

export const LabeledImageList = Type.Object({ items: Type.Array(LabeledImage) });
export type LabeledImageList = Static<typeof LabeledImageList>;

export const LabelQuery = Type.Object({
  plotTypeId: Type.Optional(Id),
  runFrom: Type.Optional(DbInteger()),
  runTo: Type.Optional(DbInteger()),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  filter: Type.Enum(LABEL_FILTERS, {
    default: 'all',
    description: 'disagreement: the current label differs from the latest verdict',
  }),
  ...Pagination,
});
export type LabelQuery = Static<typeof LabelQuery>;

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
