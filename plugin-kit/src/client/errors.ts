/** What went wrong talking to the inference server, in terms a user can act on. */
export type HydraErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'not_found' | 'invalid' | 'server';

/** A failed request to the inference server: its status and the RFC 9457 problem it answered with. */
export class HydraApiError extends Error {
  override name = 'HydraApiError';

  constructor(
    readonly kind: HydraErrorKind,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly path: string
  ) {
    super(`${title}: ${detail}`);
  }

  /** From a rejected backendSrv request: `{status, data}` where data is a problem document, or anything else. */
  static from(error: unknown, path: string): HydraApiError {
    if (error instanceof HydraApiError) {
      return error;
    }
    const { status = 0, data, statusText } = (error ?? {}) as { status?: number; data?: unknown; statusText?: string };
    const problem = (data ?? {}) as { title?: string; detail?: string; message?: string };
    const detail = problem.detail ?? problem.message ?? statusText ?? String((error as Error)?.message ?? error);
    return new HydraApiError(kindOf(status), status, problem.title ?? (statusText || 'Request failed'), detail, path);
  }
}

function kindOf(status: number): HydraErrorKind {
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    return 'unreachable';
  }
  if (status === 401) {
    return 'unauthorized';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'not_found';
  }
  return status >= 500 ? 'server' : 'invalid';
}

/** Gateway answers that a retry may cure: the server restarting, or Grafana's proxy timing out. */
export const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** A message that says what to fix, for the health check and for query errors. */
export function describeError(error: unknown, serverUrl = 'the inference server'): string {
  const e = error instanceof HydraApiError ? error : HydraApiError.from(error, '');
  switch (e.kind) {
    case 'unreachable':
      return `Cannot reach ${serverUrl} (HTTP ${e.status || 'no answer'}): check the URL in the data source settings and that \`hydra serve\` is running where Grafana's server can reach it.`;
    case 'unauthorized':
      return `The inference server did not accept the API token: ${e.detail}. Create one with \`hydra token create --role labeler\` and paste it in the data source settings.`;
    case 'forbidden':
      return `The API token may not do this: ${e.detail}.`;
    case 'not_found':
      return `Not found: ${e.detail}`;
    default:
      return `${e.title}: ${e.detail}`;
  }
}

/** A 404 from the server's router rather than from a route: this server version has no such route yet. */
export function isMissingRoute(error: HydraApiError): boolean {
  return error.kind === 'not_found' && /\broute\b/i.test(error.detail);
}

/** Errors of optional features (Grad-CAM, reference) become a message; a missing route is said plainly. */
export function unavailableMessage(error: unknown, what: string): string {
  const e = HydraApiError.from(error, '');
  if (isMissingRoute(e)) {
    return `${what} is not available: the inference server has no such route yet.`;
  }
  return e.kind === 'not_found' ? e.detail : describeError(e);
}
