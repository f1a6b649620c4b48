import { Type, type Static } from 'typebox';
import { ROLES } from '../enums.ts';

/** RFC 9457 problem details: every error response. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI that names the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What was wrong, in words a user can act on' }),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type Problem = Static<typeof Problem>;

/** The problem responses every authenticated route can give. */
export const problemResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  // A client address past HYDRA_AUTH_FAILURES_PER_MINUTE is refused on every route.
  429: Problem,
} as const;

/**
 * The largest value of a PostgreSQL `integer` column (int4): every id, offset and run number a request gives
 * stays within it, so neither SQLite nor PostgreSQL ever sees a number it cannot take.
 */
export const MAX_DB_INTEGER = 2_147_483_647;

/** An integer a column can hold: from `minimum` (0 by default) to MAX_DB_INTEGER. */
export const DbInteger = (options: { minimum?: number; default?: number; description?: string } = {}) =>
  Type.Integer({ minimum: 0, maximum: MAX_DB_INTEGER, ...options });

/** A catalog row id. */
export const Id = DbInteger({ minimum: 1 });

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

/**
 * An RFC 3339 time, as `Date.parse` reads it: the pattern leaves out what the date-time format allows but
 * `Date.parse` cannot read (leap seconds, lower-case `t`/`z`, a space for `T`), so a valid time always converts.
 */
export const IsoTime = Type.String({
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'RFC 3339, e.g. 2024-05-01T12:00:00Z',
});

export const Role = Type.Enum(ROLES);
export type Role = Static<typeof Role>;

export const Pagination = {
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  offset: DbInteger({ default: 0 }),
};
