import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TooManyRequestsError } from '../../../../errors.ts';
import { Problem, problemResponses } from '../../../../schemas/index.ts';

const HEARTBEAT_MS = 15_000;

const EventsQuery = Type.Object({
  deployment: Type.Optional(Type.String({ description: 'Only predictions of this deployment' })),
});

const events: FastifyPluginAsyncTypebox = async (fastify) => {
  const { HYDRA_EVENT_STREAMS_PER_TOKEN: perToken, HYDRA_EVENT_STREAM_BUFFER_BYTES: maxUnsent } =
    fastify.config;
  // A heartbeat keeps a quiet stream from reaching the idle timeout.
  const heartbeatMs = Math.min(HEARTBEAT_MS, fastify.config.HYDRA_IDLE_TIMEOUT_MS / 2);
  const openStreams = new Set<() => void>();
  const streamsByToken = new Map<string, number>();
  // Open streams must not hold the server open when it closes.
  fastify.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary:
          'Server-Sent Events: `prediction` (a Prediction) as verdicts happen, `training` (a TrainingJob) as jobs ' +
          'progress, `label` (a LabelChange) as labels are applied, undone or redone; with several replicas on ' +
          'PostgreSQL, those of every replica. A token may hold HYDRA_EVENT_STREAMS_PER_TOKEN streams; a reader ' +
          'that falls more than HYDRA_EVENT_STREAM_BUFFER_BYTES behind is disconnected (reconnect to catch up from ' +
          'the API)',
        querystring: EventsQuery,
        response: { ...problemResponses, 429: Problem },
      },
    },
    async (request, reply) => {
      const { deployment } = request.query;
      const token = request.principal!.name;
      const open = streamsByToken.get(token) ?? 0;
      if (open >= perToken) {
        throw new TooManyRequestsError(
          `the token "${token}" has ${open} event streams open, the most it may (HYDRA_EVENT_STREAMS_PER_TOKEN): ` +
            'close one first',
        );
      }
      streamsByToken.set(token, open + 1);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies (nginx, Grafana's) must not buffer the stream.
        'x-accel-buffering': 'no',
      });
      const send = (text: string) => {
        if (raw.destroyed) return;
        // A stalled reader must not make the server buffer without bound.
        if (raw.writableLength > maxUnsent) {
          request.log.warn(
            { token, unsent: raw.writableLength },
            'event stream reader too slow: disconnected',
          );
          raw.destroy();
          return;
        }
        raw.write(text);
      };
      send(': connected\n\n');
      const unsubscribe = fastify.liveEvents.subscribe((event) => {
        if (deployment === undefined || event.data.deployment === deployment) {
          send(
            `id: ${event.type}-${event.data.id}\nevent: ${event.type}\ndata: ${fastify.hidePaths(JSON.stringify(event.data))}\n\n`,
          );
        }
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      const end = () => {
        if (!openStreams.delete(end)) return;
        clearInterval(heartbeat);
        unsubscribe();
        const remaining = streamsByToken.get(token)! - 1;
        if (remaining === 0) streamsByToken.delete(token);
        else streamsByToken.set(token, remaining);
        raw.end();
      };
      openStreams.add(end);
      raw.on('close', end);
    },
  );
};

export default events;
