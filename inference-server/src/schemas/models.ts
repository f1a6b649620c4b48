import { Type, type Static } from 'typebox';
import { Id, IsoTime } from './common.ts';
import { Name } from './names.ts';

export const ModelVersionStatus = Type.Enum(['training', 'ready', 'active', 'retired']);

export const ModelVersion = Type.Object({
  id: Type.Integer(),
  plotTypeId: Type.Integer(),
  model: Type.String(),
  architecture: Type.String(),
  version: Type.Integer(),
  status: ModelVersionStatus,
  inputShape: Type.Array(Type.Integer(), {
    minItems: 3,
    maxItems: 3,
    description: '[height, width, channels]',
  }),
  classes: Type.Array(Type.String()),
  thresholds: Type.Record(Type.String(), Type.Number()),
  metrics: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description:
      'For trained versions: history (loss and accuracy curves), evaluation on the test split (confusion matrix, ' +
      'confidenceHistograms per cell, perClass precision/recall/F1), splitSizes, trainingMs, backend, seed',
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

export const AgreementList = Type.Object({ items: Type.Array(VersionAgreement) });
export type AgreementList = Static<typeof AgreementList>;

export const ModelVersionPatch = Type.Object({
  thresholds: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }))),
  status: Type.Optional(
    Type.Enum(['ready', 'retired'], { description: 'Retire a version, or bring it back' }),
  ),
});
export type ModelVersionPatch = Static<typeof ModelVersionPatch>;
