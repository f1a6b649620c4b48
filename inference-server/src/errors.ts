// Expected failures of the domain, by kind. They know nothing of HTTP: the error handler maps each kind to its
// RFC 9457 problem and status.

export const ERROR_KINDS = [
  'invalid-input',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'payload-too-large',
  'unsupported-media-type',
  'too-many-requests',
  'invalid-image',
  'unknown-reference',
  'empty-selection',
  'learned-nothing',
  'service-unavailable',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class DomainError extends Error {
  constructor(
    /** The problem `type` URI is derived from it. */
    readonly kind: ErrorKind,
    readonly title: string,
    detail: string,
    /** Extension members of the problem (RFC 9457 §3.2), e.g. the promotion gate a refusal comes from. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = `${title.replace(/(^|\s+)(\w)/g, (_, _space: string, c: string) => c.toUpperCase())}Error`;
  }
}

function domainError(kind: ErrorKind, title: string) {
  return class extends DomainError {
    constructor(detail: string, extensions?: Record<string, unknown>) {
      super(kind, title, detail, extensions);
    }
  };
}

export const InvalidInputError = domainError('invalid-input', 'Invalid input');
export const UnauthorizedError = domainError('unauthorized', 'Unauthorized');
export const ForbiddenError = domainError('forbidden', 'Forbidden');
export const NotFoundError = domainError('not-found', 'Not found');
export const ConflictError = domainError('conflict', 'Conflict');
export const PayloadTooLargeError = domainError('payload-too-large', 'Payload too large');
export const UnsupportedMediaTypeError = domainError('unsupported-media-type', 'Unsupported media type');
export const TooManyRequestsError = domainError('too-many-requests', 'Too many requests');
export const InvalidImageError = domainError('invalid-image', 'Invalid image');
export const UnknownReferenceError = domainError('unknown-reference', 'Unknown reference');
/** A request well formed, but whose filters select nothing to work on. */
export const EmptySelectionError = domainError('empty-selection', 'Empty selection');
/** A model version that does no better than always answering the majority class: never activated. */
export const LearnedNothingError = domainError('learned-nothing', 'Learned nothing');
export const ServiceUnavailableError = domainError('service-unavailable', 'Service unavailable');

/** A client's value as a problem quotes it: enough to recognise, never a whole 64 KiB field. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A size limit of an upload, and the setting that sets it (a 413 names it, so the operator knows what to raise). */
export interface SizeLimit {
  bytes: number;
  setting: string;
}
