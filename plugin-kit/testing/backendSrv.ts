// A BackendSrv over real HTTP (fetch), for tests and the browser harness: the one stand-in for @grafana/runtime's.
// Errors take Grafana's shape ({status, statusText, data}); an unreachable upstream answers 502, as Grafana's proxy does.
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { defer, lastValueFrom, type Observable } from 'rxjs';

export type Resolve = (url: string) => { url: string; headers: Record<string, string> } | undefined;

export interface RecordedRequest {
  method: string;
  url: string;
  data?: unknown;
}

export function createBackendSrv(resolve: Resolve = () => undefined, requests: RecordedRequest[] = []): BackendSrv {
  const fetchObservable = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    defer(async () => {
      const method = (options.method ?? 'GET').toUpperCase();
      const params = new URLSearchParams(options.params as Record<string, string> | undefined).toString();
      const url = params ? `${options.url}${options.url.includes('?') ? '&' : '?'}${params}` : options.url;
      requests.push({ method, url, data: options.data });
      const target = resolve(url) ?? { url, headers: {} };
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      let response: Response;
      try {
        response = await fetch(target.url, {
          method,
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers, ...target.headers },
          body,
        });
      } catch (error) {
        throw { status: 502, statusText: 'Bad Gateway', data: { message: `proxy error: ${String(error)}` } };
      }
      const text = await response.text();
      let data: unknown = text;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      if (!response.ok) {
        throw { status: response.status, statusText: response.statusText, data, config: options };
      }
      return {
        data: data as T,
        status: response.status,
        statusText: response.statusText,
        ok: true,
        headers: response.headers,
        redirected: response.redirected,
        type: response.type,
        url: response.url,
        config: options,
      } satisfies FetchResponse<T>;
    });
  const verb = (method: string) => async (url: string, data?: unknown) =>
    (await lastValueFrom(fetchObservable({ method, url, data }))).data;
  return {
    fetch: fetchObservable,
    datasourceRequest: (options: BackendSrvRequest) => lastValueFrom(fetchObservable(options)),
    get: (url: string, params?: Record<string, string>) =>
      lastValueFrom(fetchObservable({ url, params })).then((r) => r.data),
    post: verb('POST'),
    put: verb('PUT'),
    patch: verb('PATCH'),
    delete: verb('DELETE'),
    request: (options: BackendSrvRequest) => lastValueFrom(fetchObservable(options)).then((r) => r.data),
  } as unknown as BackendSrv;
}
