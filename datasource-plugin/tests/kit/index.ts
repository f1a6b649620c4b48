// Browser-safe test kit, shared with the panel plugin's tests and its browser harness.
export { createBackendSrv, type RecordedRequest, type Resolve } from './backendSrv';
export { proxyBase, resolveProxyRequest, type DataSourceSettings } from './grafanaProxy';
export { installGrafanaRuntime, templateSrv } from './grafanaRuntime';
