import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rightsOf } from '../../../../plugins/app/auth.ts';
import { Me, problemResponses } from '../../../../schemas/index.ts';

const me: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      // Any valid token, ingest included: it is how a client learns what it may do.
      onRequest: async (request) => {
        request.principal = await fastify.authenticate(request);
      },
      schema: {
        summary:
          "Who acts (the Grafana user a Grafana proxy token names, else the token), the token, its role and that role's rights",
        response: { 200: Me, ...problemResponses },
      },
    },
    async (request) => {
      const { name, grafanaUser, role } = request.actor!;
      const token = request.principal!;
      return {
        name,
        grafanaUser,
        token: { name: token.name, grafanaProxy: token.grafanaProxy },
        role,
        rights: rightsOf(role),
      };
    },
  );
};

export default me;
