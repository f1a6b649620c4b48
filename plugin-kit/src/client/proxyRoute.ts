/**
 * The data source's proxy route, as its plugin.json declares it: Grafana's server forwards `<data source URL>/hydra/…`
 * to the inference server and adds the API token from secureJsonData, so the browser never holds it. Every Hydra
 * plugin reaches the server through it and the test kit emulates it; the data source's plugin test checks that its
 * plugin.json declares exactly this route.
 */
export const HYDRA_PROXY_ROUTE = {
  path: 'hydra',
  url: '{{ .JsonData.url }}',
  headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
};

/** Where the inference server's API is mounted, in its own URLs (e.g. an image's fileUrl). */
export const API_PREFIX = '/api/v1';

/** The inference server's API through a Hydra data source's proxy, e.g. /api/datasources/proxy/uid/x/hydra/api/v1 */
export const apiUrlOf = (dataSourceUrl: string) => `${dataSourceUrl}/${HYDRA_PROXY_ROUTE.path}${API_PREFIX}`;

/** Where Grafana's server proxies an app plugin's routes (apps declare the same route as the data source). */
export const appProxyBase = (pluginId: string, appSubUrl = '') => `${appSubUrl}/api/plugin-proxy/${pluginId}`;
