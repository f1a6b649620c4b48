// Browser-safe test kit, shared by the plugins' tests and the panel's browser harness.
export { createBackendSrv, type RecordedRequest, type Resolve } from './backendSrv';
export { proxyBase, resolveProxyRequest, type DataSourceSettings } from './grafanaProxy';
export { installGrafanaRuntime, instanceSettings, templateSrv, type InstallOptions } from './grafanaRuntime';
export type { HydraServerInfo } from './provided';
export { predictionFixture } from './fixtures';
