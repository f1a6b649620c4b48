import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Deployment, DeploymentBody, DeploymentList, problemResponses } from '../../../../schemas/index.ts';

const deployments: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Deployments (experiments or halls)',
        response: { 200: DeploymentList, ...problemResponses },
      },
    },
    async () => {
      const rows = await fastify.catalog.deployments.list();
      return { items: rows.map(({ id, name, title }) => ({ id, name, title })) };
    },
  );

  fastify.post(
    '/',
    {
      onRequest: fastify.requireRight('admin'),
      schema: {
        summary: 'Register a deployment (idempotent)',
        body: DeploymentBody,
        response: { 200: Deployment, ...problemResponses },
      },
    },
    async (request) => {
      const { id, name, title } = await fastify.catalog.deployments.ensure(
        request.body.name,
        request.body.title,
      );
      return { id, name, title };
    },
  );
};

export default deployments;
