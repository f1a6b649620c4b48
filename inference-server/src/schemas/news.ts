import { Type, type Static } from 'typebox';
import { Id, IsoTime } from './common.ts';
import { Name } from './names.ts';

export const NewsItem = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  deploymentId: Type.Union([Type.Integer(), Type.Null()], { description: 'null: every deployment' }),
  author: Type.String(),
  createdAt: IsoTime,
  expiresAt: Type.Union([IsoTime, Type.Null()]),
});
export type NewsItem = Static<typeof NewsItem>;

export const NewsQuery = Type.Object({
  deploymentId: Type.Optional(Id),
  deployment: Type.Optional(
    Name('Deployment name, instead of deploymentId (what the plot grid panel knows)'),
  ),
});
export type NewsQuery = Static<typeof NewsQuery>;

export const NewsList = Type.Object({
  current: Type.Union([NewsItem, Type.Null()], {
    description: 'The newest item for the deployment or for all deployments',
  }),
  items: Type.Array(NewsItem, { description: 'Not expired, newest first' }),
});
export type NewsList = Static<typeof NewsList>;

export const NewsBody = Type.Object({
  text: Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$',
    description: 'One line',
  }),
  deploymentId: Type.Optional(Id),
  expiresAt: Type.Optional(IsoTime),
});
export type NewsBody = Static<typeof NewsBody>;
