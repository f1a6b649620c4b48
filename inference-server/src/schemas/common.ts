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
} as const;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export type IdParams = Static<typeof IdParams>;

export const IsoTime = Type.String({ format: 'date-time' });

export const Role = Type.Enum(ROLES);
export type Role = Static<typeof Role>;

export const Pagination = {
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};
