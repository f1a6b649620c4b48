import { Type, type Static } from 'typebox';
import { DbInteger, Id, IsoTime, Pagination } from './common.ts';
import { Name } from './names.ts';

export const LogAcknowledgement = Type.Object({
  user: Type.String(),
  comment: Type.Union([Type.String(), Type.Null()]),
  at: IsoTime,
});
export type LogAcknowledgement = Static<typeof LogAcknowledgement>;

/** A non-Good verdict: one row of the monitoring log. */
export const LogEntry = Type.Object({
  predictionId: Type.Integer(),
  imageId: Type.Integer(),
  deployment: Type.String(),
  plotTypeId: Type.Integer(),
  plotType: Type.String(),
  run: Type.Union([Type.Integer(), Type.Null()]),
  verdict: Type.String(),
  confidence: Type.Number(),
  confirmed: Type.Boolean(),
  createdAt: IsoTime,
  thumbnailUrl: Type.String(),
  acknowledgement: Type.Union([LogAcknowledgement, Type.Null()]),
});
export type LogEntry = Static<typeof LogEntry>;

const logFilters = {
  deploymentId: Type.Optional(Id),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  runFrom: Type.Optional(DbInteger()),
  runTo: Type.Optional(DbInteger()),
  plotTypeId: Type.Optional(Id),
  class: Type.Optional(Name('A verdict (class name)')),
  confirmed: Type.Optional(Type.Boolean()),
  acknowledged: Type.Optional(Type.Boolean()),
};

export const LogQuery = Type.Object({ ...logFilters, ...Pagination });
export type LogQuery = Static<typeof LogQuery>;

export const LogCsvQuery = Type.Object(logFilters);
export type LogCsvQuery = Static<typeof LogCsvQuery>;

export const LogList = Type.Object({
  items: Type.Array(LogEntry),
  total: Type.Integer({ description: 'All matching entries, not only this page' }),
});
export type LogList = Static<typeof LogList>;

export const LogCsv = Type.Unsafe<NodeJS.ReadableStream>({
  type: 'string',
  description: 'text/csv: a header row, then every matching entry',
});

export const PredictionIdParams = Type.Object({ predictionId: Id });
export type PredictionIdParams = Static<typeof PredictionIdParams>;

export const AcknowledgementBody = Type.Object({
  comment: Type.Optional(Type.String({ maxLength: 500 })),
});
export type AcknowledgementBody = Static<typeof AcknowledgementBody>;
