import { Type, type Static } from 'typebox';

export const SummaryQuery = Type.Object({
  deployment: Type.Optional(Type.String({ minLength: 1, description: 'Without it, every deployment' })),
});
export type SummaryQuery = Static<typeof SummaryQuery>;

export const DeploymentSummary = Type.Object({
  deployment: Type.String(),
  labeledImages: Type.Integer({ description: 'Images with a current label' }),
  totalImages: Type.Integer(),
  activeModels: Type.Integer({ description: 'Plot types with an active model version' }),
  imagesPerHour: Type.Number({ description: 'Images captured over the last 24 hours, per hour' }),
  runsWithBad: Type.Integer({ description: 'Runs with at least one image whose latest verdict is Bad' }),
  classified: Type.Integer({ description: 'Images classified' }),
});
export type DeploymentSummary = Static<typeof DeploymentSummary>;

export const SummaryList = Type.Object({ items: Type.Array(DeploymentSummary) });
export type SummaryList = Static<typeof SummaryList>;
