import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UnknownReferenceError } from '../../../../errors.ts';
import { Problem, problemResponses, RunList, RunQuery } from '../../../../schemas/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

const runs: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      preHandler: fastify.requireRight('read'),
      schema: {
        summary: 'Runs of a deployment, newest first, with their image counts',
        querystring: RunQuery,
        response: { 200: RunList, ...problemResponses, 422: Problem },
      },
    },
    async (request) => {
      const deployment = await fastify.catalog.findDeployment(request.query.deployment);
      if (!deployment)
        throw new UnknownReferenceError(`deployment "${request.query.deployment}" is not registered`);
      const rows = await fastify.catalog.listRuns(deployment.id, request.query.limit, request.query.offset);
      return {
        items: rows.map((row) => ({
          number: row.number,
          startedAt: iso(row.started_at),
          endedAt: row.ended_at === null ? null : iso(row.ended_at),
          beamState: row.beam_state,
          images: Number(row.images),
          lastImageAt: row.last_image_at === null ? null : iso(Number(row.last_image_at)),
        })),
      };
    },
  );
};

export default runs;
