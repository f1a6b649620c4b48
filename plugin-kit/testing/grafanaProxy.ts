// What Grafana's server does with a data source proxy route: `/api/datasources/proxy/uid/<uid>/<route path>/…`
// goes to the route's URL, with the route's headers, both expanded from jsonData and secureJsonData.
// The test stand-ins and the browser harness use this, so the route in plugin.json is what the tests exercise (the
// data source's plugin test checks that its plugin.json declares HYDRA_PROXY_ROUTE).
import { HYDRA_PROXY_ROUTE } from '../src/client/proxyRoute';

export interface DataSourceSettings {
  uid: string;
  /** Where the route is mounted when not a data source's proxyBase(uid), e.g. an app's appProxyBase(id). */
  base?: string;
  jsonData: Record<string, string | undefined>;
  secureJsonData: Record<string, string | undefined>;
  /** The signed-in user's login, sent as X-Grafana-User as Grafana does with `[dataproxy] send_user_header`. */
  grafanaUser?: string;
}

const expand = (template: string, settings: DataSourceSettings) =>
  template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, scope: string, key: string) =>
    String((scope === 'JsonData' ? settings.jsonData : settings.secureJsonData)[key] ?? '')
  );

const GRAFANA_USER_HEADER = 'X-Grafana-User';

export const proxyBase = (uid: string) => `/api/datasources/proxy/uid/${uid}`;

/** The upstream URL and headers for a browser-side URL, or undefined when it is not a proxy URL of this data source. */
export function resolveProxyRequest(
  url: string,
  settings: DataSourceSettings
): { url: string; headers: Record<string, string> } | undefined {
  const base = settings.base ?? proxyBase(settings.uid);
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const route = HYDRA_PROXY_ROUTE;
  const prefix = `${base}/${route.path}`;
  if (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`)) {
    const headers: Record<string, string> = Object.fromEntries(
      route.headers.map((h) => [h.name, expand(h.content, settings)])
    );
    if (settings.grafanaUser !== undefined) {
      // Grafana sends the login's UTF-8 bytes; a fetch header value must be a byte string.
      headers[GRAFANA_USER_HEADER] = String.fromCharCode(...new TextEncoder().encode(settings.grafanaUser));
    }
    return { url: expand(route.url, settings).replace(/\/$/, '') + path.slice(prefix.length), headers };
  }
  return undefined;
}
