import { Type, type Static } from 'typebox';
import { CLASS_SEVERITIES } from '../enums.ts';
import { DbInteger, IsoTime, Pagination } from './common.ts';
import { Image } from './images.ts';
import { Prediction } from './predictions.ts';

export const Run = Type.Object({
  number: Type.Integer(),
  startedAt: IsoTime,
  endedAt: Type.Union([IsoTime, Type.Null()]),
  beamState: Type.Union([Type.String(), Type.Null()]),
  images: Type.Integer(),
  lastImageAt: Type.Union([IsoTime, Type.Null()]),
});
export type Run = Static<typeof Run>;

export const RunQuery = Type.Object({ deployment: Type.String({ minLength: 1 }), ...Pagination });
export type RunQuery = Static<typeof RunQuery>;

export const RunList = Type.Object({ items: Type.Array(Run) });
export type RunList = Static<typeof RunList>;

/** A column of the Runs table and a plot of the Browse view. */
export const RunPlotType = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  group: Type.String(),
  title: Type.String(),
});
export type RunPlotType = Static<typeof RunPlotType>;

const RunNumber = DbInteger({ description: 'A run number' });

export const RunsSummaryQuery = Type.Object({
  deployment: Type.String({ minLength: 1 }),
  fromRun: Type.Optional(RunNumber),
  toRun: Type.Optional(RunNumber),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Runs, newest first' }),
});
export type RunsSummaryQuery = Static<typeof RunsSummaryQuery>;

const Severity = Type.Enum(CLASS_SEVERITIES);
const NullableTime = (description: string) => Type.Union([IsoTime, Type.Null()], { description });

export const RunCell = Type.Object({
  plotTypeId: Type.Integer(),
  images: Type.Integer(),
  worstVerdict: Type.Union([Type.String(), Type.Null()], {
    description: 'The latest verdict of the worst severity among the images; null when none has one',
  }),
  worstSeverity: Type.Union([Severity, Type.Null()]),
  bad: Type.Integer({ description: 'Images whose latest verdict is Bad (a class of severity alarm)' }),
  firstBadAt: NullableTime('Capture time of the first of them'),
  overrides: Type.Integer({ description: 'Labels of source override on these images, history included' }),
  latestImageId: Type.Union([Type.Integer(), Type.Null()]),
});
export type RunCell = Static<typeof RunCell>;

export const RunSummaryRow = Type.Object({
  number: Type.Integer(),
  startedAt: IsoTime,
  endedAt: NullableTime('Null while the run takes data'),
  badPlots: Type.Integer({ description: 'Plot types with at least one Bad image in the run' }),
  firstBadAt: NullableTime('When the first of them turned Bad'),
  overrides: Type.Integer(),
  cells: Type.Array(RunCell, { description: 'Only the plot types that have images in the run' }),
});
export type RunSummaryRow = Static<typeof RunSummaryRow>;

export const RunsSummary = Type.Object({
  deployment: Type.String(),
  plotTypes: Type.Array(RunPlotType),
  runs: Type.Array(RunSummaryRow, { description: 'Newest first' }),
});
export type RunsSummary = Static<typeof RunsSummary>;

export const RunPlotsParams = Type.Object({ number: RunNumber });
export type RunPlotsParams = Static<typeof RunPlotsParams>;

export const RunPlotsQuery = Type.Object({ deployment: Type.String({ minLength: 1 }) });
export type RunPlotsQuery = Static<typeof RunPlotsQuery>;

export const RunPlots = Type.Object({
  deployment: Type.String(),
  run: Type.Integer(),
  items: Type.Array(
    Type.Object({
      plotType: RunPlotType,
      image: Type.Union([Image, Type.Null()], { description: "The plot type's latest image in the run" }),
      prediction: Type.Union([Prediction, Type.Null()]),
      referenceImageId: Type.Union([Type.Integer(), Type.Null()], {
        description: "The plot type's current reference",
      }),
    }),
  ),
});
export type RunPlots = Static<typeof RunPlots>;
