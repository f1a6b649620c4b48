import { Type, type Static } from 'typebox';
import { CLASS_SEVERITIES } from '../enums.ts';
import { Name } from './names.ts';

export const DeploymentBody = Type.Object({
  name: Name('Deployment name'),
  title: Type.Optional(Type.String({ maxLength: 200 })),
});
export type DeploymentBody = Static<typeof DeploymentBody>;

export const Deployment = Type.Object({ id: Type.Integer(), name: Type.String(), title: Type.String() });
export type Deployment = Static<typeof Deployment>;

export const DeploymentList = Type.Object({ items: Type.Array(Deployment) });
export type DeploymentList = Static<typeof DeploymentList>;

export const ClassBody = Type.Object({
  name: Name('Class name'),
  colour: Type.String({ pattern: '^#[0-9A-Fa-f]{6}$' }),
  severity: Type.Enum(CLASS_SEVERITIES),
});

export const PlotTypeBody = Type.Object({
  deployment: Type.String({ minLength: 1 }),
  name: Name('Plot type name'),
  group: Type.Optional(Type.String({ maxLength: 200 })),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  classes: Type.Optional(Type.Array(ClassBody, { maxItems: 100 })),
});
export type PlotTypeBody = Static<typeof PlotTypeBody>;

export const PlotTypeInfo = Type.Object({
  id: Type.Integer(),
  deployment: Type.String(),
  name: Type.String(),
  group: Type.String(),
  title: Type.String(),
  activeModelVersionId: Type.Union([Type.Integer(), Type.Null()]),
  classes: Type.Array(ClassBody),
});
export type PlotTypeInfo = Static<typeof PlotTypeInfo>;

export const PlotTypeList = Type.Object({ items: Type.Array(PlotTypeInfo) });
export type PlotTypeList = Static<typeof PlotTypeList>;

export const PlotTypeQuery = Type.Object({ deployment: Type.String({ minLength: 1 }) });
export type PlotTypeQuery = Static<typeof PlotTypeQuery>;
