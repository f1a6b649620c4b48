import { Type, type Static } from 'typebox';
import { ROLES } from '../enums.ts';
import { IsoTime } from './common.ts';

/** An API token as an admin sees it: never the token itself, which is shown once when it is created. */
export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String({ description: 'Who or what holds it' }),
  role: Type.Enum(ROLES),
  createdAt: IsoTime,
  lastUsedAt: Type.Union([IsoTime, Type.Null()], {
    description: 'To the minute: a token in use is recorded at most once a minute per replica',
  }),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;
