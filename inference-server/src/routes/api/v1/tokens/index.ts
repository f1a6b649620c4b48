import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiToken, ApiTokenList, IdParams, Problem, problemResponses } from '../../../../schemas/index.ts';
import { apiTokenView } from '../../../../views/api-views.ts';

const tokens: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('admin'),
      schema: {
        summary: 'API tokens, oldest first: who holds them, their role and last use (never the token itself)',
        response: { 200: ApiTokenList, ...problemResponses },
      },
    },
    async () => ({ items: (await fastify.catalog.tokens.list()).map(apiTokenView) }),
  );

  fastify.delete(
    '/:id',
    {
      onRequest: fastify.requireRight('admin'),
      schema: {
        summary: 'Revoke a token: every replica refuses it (401) from its next request on',
        params: IdParams,
        response: { 200: ApiToken, ...problemResponses, 404: Problem },
      },
    },
    async (request) => {
      const revoked = await fastify.catalog.tokens.revoke(request.params.id);
      request.log.info(
        { token: revoked.name, role: revoked.role, by: request.principal!.name },
        `API token "${revoked.name}" revoked`,
      );
      return apiTokenView(revoked);
    },
  );
};

export default tokens;
