import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../../../schemas/index.ts';

const HEARTBEAT_MS = 15_000;

const EventsQuery = Type.Object({
  deployment: Type.Optional(Type.String({ description: 'Only predictions of this deployment' })),
});

const events: FastifyPluginAsyncTypebox = async (fastify) => {
  const openStreams = new Set<() => void>();
  // Open streams must not hold the server open when it closes.
  fastify.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  fastify.get(
    '/',
    {
      preHandler: fastify.requireRight('read'),
      schema: {
        summary:
          'Server-Sent Events: `prediction` (a Prediction) as verdicts happen, `training` (a TrainingJob) as jobs progress',
        querystring: EventsQuery,
        response: problemResponses,
      },
    },
    async (request, reply) => {
      const { deployment } = request.query;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies (nginx, Grafana's) must not buffer the stream.
        'x-accel-buffering': 'no',
      });
      raw.write(': connected\n\n');
      const unsubscribe = fastify.liveEvents.subscribe((event) => {
        if (deployment === undefined || event.data.deployment === deployment) {
          raw.write(
            `id: ${event.type}-${event.data.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`,
          );
        }
      });
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(end);
        raw.end();
      };
      openStreams.add(end);
      raw.on('close', end);
    },
  );
};

export default events;
