import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  DomainError,
  type ErrorKind,
  InvalidInputError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../errors.ts';
import type { Problem } from '../../schemas/index.ts';

// Relative problem types (RFC 9457 allows them); /docs describes each.
const PROBLEM_BASE = '/problems/';

/** The one place where a kind of domain error becomes an HTTP status. */
const STATUS_OF: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  'invalid-image': 422,
  'unknown-reference': 422,
  'empty-selection': 422,
  'learned-nothing': 422,
  'service-unavailable': 503,
};

/** Errors of the libraries under us, as they come: Fastify's and its plugins', pg's, better-sqlite3's. */
type LibraryError = FastifyError & { code?: string };

/**
 * The library errors that a request causes, as the domain errors they are. Database refusals are the net under
 * the schemas (which bound what they can): PostgreSQL's data exceptions (SQLSTATE class 22: out of range, too
 * long, malformed) and program limits (54), SQLite's type mismatches, too-big values and too many parameters.
 */
function translated(error: LibraryError): LibraryError | DomainError {
  const code = error.code ?? '';
  if (/^22[0-9A-Z]{3}$/.test(code) || code === 'SQLITE_MISMATCH') {
    return new InvalidInputError(
      `a value of the request is beyond what the catalog stores (database error ${code})`,
    );
  }
  if (code.startsWith('54') || code === 'SQLITE_TOOBIG' || /too many SQL variables/.test(error.message)) {
    return new PayloadTooLargeError(
      'the request holds more values than one catalog statement takes: send fewer',
    );
  }
  // @fastify/multipart says 406 for both.
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new UnsupportedMediaTypeError('send the upload as multipart/form-data, with its boundary');
  }
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') {
    return new InvalidInputError('a form field sent as application/json is not valid JSON');
  }
  return error;
}

function problemOf(error: LibraryError | DomainError): Problem {
  if (error instanceof DomainError) {
    return {
      ...error.extensions,
      type: PROBLEM_BASE + error.kind,
      title: error.title,
      status: STATUS_OF[error.kind],
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
  // RFC 6750: a 401 says which scheme would be accepted.
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="hydra"');
  // A refusal before the whole body arrived (a bad part, a missing token) stops reading it: the connection ends
  // with the answer, so the client cannot go on sending into a paused socket until the idle timeout.
  if (!request.raw.complete) reply.header('connection', 'close');
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: request.url });
}

/** One error path: every failure leaves as RFC 9457 problem details, and 5xx internals stay in the log. */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: LibraryError, request, reply) => {
      const problem = problemOf(translated(error));
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
