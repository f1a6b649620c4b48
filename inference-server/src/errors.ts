// Expected failures, each mapped to one RFC 9457 problem by the error handler.

export class DomainError extends Error {
  constructor(
    /** Short slug; the problem `type` URI is derived from it. */
    readonly slug: string,
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
    this.name = `${title.replace(/(^|\s+)(\w)/g, (_, _space: string, c: string) => c.toUpperCase())}Error`;
  }
}

function problem(slug: string, status: number, title: string) {
  return class extends DomainError {
    constructor(detail: string) {
      super(slug, status, title, detail);
    }
  };
}

export const InvalidInputError = problem('invalid-input', 400, 'Invalid input');
export const UnauthorizedError = problem('unauthorized', 401, 'Unauthorized');
export const ForbiddenError = problem('forbidden', 403, 'Forbidden');
export const NotFoundError = problem('not-found', 404, 'Not found');
export const ConflictError = problem('conflict', 409, 'Conflict');
export const PayloadTooLargeError = problem('payload-too-large', 413, 'Payload too large');
export const UnsupportedMediaTypeError = problem('unsupported-media-type', 415, 'Unsupported media type');
export const TooManyRequestsError = problem('too-many-requests', 429, 'Too many requests');
export const InvalidImageError = problem('invalid-image', 422, 'Invalid image');
export const UnknownReferenceError = problem('unknown-reference', 422, 'Unknown reference');
export const ServiceUnavailableError = problem('service-unavailable', 503, 'Service unavailable');

/** A client's value as a problem quotes it: enough to recognise, never a whole 64 KiB field. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A size limit of an upload, and the setting that sets it (a 413 names it, so the operator knows what to raise). */
export interface SizeLimit {
  bytes: number;
  setting: string;
}
