import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { VerifiedSignature } from '../../../../alerts/alert-service.ts';
import { verifyGrafanaSignature, type SignatureSettings } from '../../../../alerts/grafana-signature.ts';
import { InvalidInputError, PayloadTooLargeError, UnauthorizedError } from '../../../../errors.ts';
import {
  AlertAccepted,
  AlertEventList,
  AlertEventQuery,
  GrafanaNotification,
  Problem,
  problemResponses,
} from '../../../../schemas/index.ts';
import { alertEventView } from '../../../../views/alert-views.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on the Grafana webhook route once the notification's signature checked out. */
    grafanaSignature: VerifiedSignature | null;
  }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = name === '' ? undefined : request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The Grafana webhook: no Bearer token, Grafana's HMAC signature instead. It is checked on the raw bytes before
 * any JSON parsing, so this encapsulated plugin reads JSON bodies as buffers; other routes keep the usual parser.
 */
const grafanaWebhook: FastifyPluginAsyncTypebox = async (fastify) => {
  const { config } = fastify;
  const settings: SignatureSettings = {
    secret: config.HYDRA_ALERT_WEBHOOK_SECRET,
    signatureHeader: config.HYDRA_ALERT_SIGNATURE_HEADER,
    timestampHeader: config.HYDRA_ALERT_TIMESTAMP_HEADER,
    maxAgeS: config.HYDRA_ALERT_MAX_AGE_S,
  };
  // Fastify's own JSON parser (it refuses prototype poisoning), called once the signature checked out.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.decorateRequest('grafanaSignature', null);
  // Fastify's 413 names no setting; the app's error handler (the parent) sends this one instead.
  fastify.setErrorHandler((error: FastifyError) => {
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
    throw new PayloadTooLargeError(
      `the notification is larger than ${config.HYDRA_ALERT_BODY_LIMIT_BYTES.toLocaleString('en')} bytes ` +
        '(HYDRA_ALERT_BODY_LIMIT_BYTES); lower maxAlerts on the contact point, or raise the limit',
    );
  });
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  fastify.post(
    '/grafana',
    {
      bodyLimit: config.HYDRA_ALERT_BODY_LIMIT_BYTES,
      // Signature, then JSON, then the schema: nothing unsigned is parsed.
      preValidation: async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const check = verifyGrafanaSignature(
          {
            body: raw,
            signature: headerValue(request, settings.signatureHeader),
            timestamp: headerValue(request, settings.timestampHeader),
          },
          settings,
        );
        if (!check.ok) throw new UnauthorizedError(check.reason);
        request.grafanaSignature = { signature: check.signature, signedAt: check.signedAt };
        request.body = await new Promise<typeof request.body>((resolve, reject) =>
          parseJson(request, raw.toString('utf8'), (error, parsed) =>
            error
              ? reject(
                  new InvalidInputError(
                    `the notification is not valid JSON, or holds a __proto__ or constructor key: ${error.message}`,
                  ),
                )
              : resolve(parsed as typeof request.body),
          ),
        );
      },
      schema: {
        summary:
          "Grafana alerting webhook (contact point with hmacConfig): recorded, answered 202, then each alert's " +
          'alarm PV and the message PV are written to EPICS',
        body: GrafanaNotification,
        response: { 202: AlertAccepted, 400: Problem, 401: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const recorded = await fastify.alerts.record(request.body, request.grafanaSignature!);
      request.log.info(
        { receiver: request.body.receiver, groupKey: request.body.groupKey, ...recorded },
        'alert notification recorded',
      );
      return reply.code(202).send(recorded);
    },
  );
};

const alerts: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.requireRight('read'),
      schema: {
        summary: 'Grafana alert notifications received, newest first, with their EPICS writes and outcomes',
        querystring: AlertEventQuery,
        response: { 200: AlertEventList, ...problemResponses },
      },
    },
    async (request) => {
      const { items, total } = await fastify.alerts.list(request.query.limit, request.query.offset);
      return { items: items.map(alertEventView), total };
    },
  );
  await fastify.register(grafanaWebhook);
};

export default alerts;
