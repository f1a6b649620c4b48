import { Type, type Static } from 'typebox';
import { CLASS_SEVERITIES, PLOT_STATES } from '../enums.ts';
import { Image } from './images.ts';
import { Prediction } from './predictions.ts';

export const PlotClass = Type.Object({
  name: Type.String(),
  colour: Type.String(),
  severity: Type.Enum(CLASS_SEVERITIES),
});
export type PlotClass = Static<typeof PlotClass>;

export const PlotState = Type.Enum(PLOT_STATES, {
  description: 'empty: no image yet; otherwise the status of the latest image',
});

export const Plot = Type.Object({
  plotType: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    group: Type.String(),
    title: Type.String(),
    activeModelVersionId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  state: PlotState,
  classes: Type.Array(PlotClass),
  image: Type.Union([Image, Type.Null()]),
  prediction: Type.Union([Prediction, Type.Null()]),
});
export type Plot = Static<typeof Plot>;

export const PlotsQuery = Type.Object({ deployment: Type.String({ minLength: 1 }) });
export type PlotsQuery = Static<typeof PlotsQuery>;

export const PlotList = Type.Object({ deployment: Type.String(), items: Type.Array(Plot) });
export type PlotList = Static<typeof PlotList>;
