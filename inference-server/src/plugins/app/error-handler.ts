import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../errors.ts';
import type { Problem } from '../../schemas/index.ts';

// Relative problem types (RFC 9457 allows them); /docs describes each.
const PROBLEM_BASE = '/problems/';

function problemOf(error: FastifyError | DomainError): Problem {
  if (error instanceof DomainError) {
    return {
      type: PROBLEM_BASE + error.slug,
      title: error.title,
      status: error.status,
      detail: error.message,
    };
  }
  if (error.validation) {
    return {
      type: PROBLEM_BASE + 'invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: error.message,
    };
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    return {
      type: PROBLEM_BASE + 'internal-error',
      title: 'Internal server error',
      status,
      detail: 'The server failed; the details are in its log.',
    };
  }
  const slug = (error.code ?? 'request-error').toLowerCase().replace(/^fst_/, '').replace(/_/g, '-');
  return { type: PROBLEM_BASE + slug, title: error.name || 'Request error', status, detail: error.message };
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: request.url });
}

/** One error path: every failure leaves as RFC 9457 problem details, and 5xx internals stay in the log. */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = problemOf(error);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ status: problem.status, detail: problem.detail }, 'request refused');
      return sendProblem(reply, request, problem);
    });
    fastify.setNotFoundHandler((request, reply) =>
      sendProblem(reply, request, {
        type: PROBLEM_BASE + 'not-found',
        title: 'Not found',
        status: 404,
        detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  },
  { name: 'error-handler' },
);
