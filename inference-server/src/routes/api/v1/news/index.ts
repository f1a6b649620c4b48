import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  IdParams,
  NewsBody,
  NewsItem,
  NewsList,
  NewsQuery,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { currentNews, postNews } from '../../../../news/news.ts';
import { newsView } from '../../../../views/api-views.ts';

const news: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: "News items not expired, newest first, and the one the plot grid's header shows",
        querystring: NewsQuery,
        response: { 200: NewsList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const { deploymentId, deployment } = request.query;
      const { current, items } = await currentNews(fastify.catalog, deployment ?? deploymentId);
      return { current: current && newsView(current), items: items.map(newsView) };
    },
  );

  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('admin'),
      schema: {
        summary: 'Post a one-line news item, for one deployment or all, optionally until a time',
        body: NewsBody,
        response: { 201: NewsItem, ...problemResponses, 422: Problem },
      },
    },
    async (request, reply) => {
      const { text, deploymentId, expiresAt } = request.body;
      const row = await postNews(fastify.catalog, {
        text,
        deploymentId,
        expiresAt: expiresAt === undefined ? undefined : Date.parse(expiresAt),
        author: request.actor!.name,
      });
      return reply.code(201).send(newsView(row));
    },
  );

  fastify.delete(
    '/:id',
    {
      onRequest: fastify.requireRight('admin'),
      schema: {
        summary: 'Remove a news item',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses, 404: Problem },
      },
    },
    async (request, reply) => {
      await fastify.catalog.news.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default news;
