import { Type, type Static } from 'typebox';
import { IsoTime, Pagination } from './common.ts';

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
