// The @grafana/runtime stand-ins, in one place: BackendSrv over real HTTP through an emulated data source proxy,
// and a TemplateSrv that substitutes $variables. Used by the jsdom tests and the browser harness.
import type { DataSourceInstanceSettings, DataSourceJsonData } from '@grafana/data';
import { setBackendSrv, setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { createBackendSrv, type RecordedRequest } from './backendSrv';
import { proxyBase, resolveProxyRequest, type DataSourceSettings } from './grafanaProxy';

export function templateSrv(variables: Record<string, string> = {}): TemplateSrv {
  return {
    replace: (text?: string) => (text ?? '').replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a, b) => variables[a ?? b] ?? m),
    getVariables: () => [],
    containsTemplate: (text?: string) => /\$\w+/.test(text ?? ''),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}

export interface InstallOptions {
  /** Emulate Grafana's server-side proxy here (jsdom); the browser harness's own server does it instead. */
  proxy?: DataSourceSettings;
  variables?: Record<string, string>;
  requests?: RecordedRequest[];
}

/** Installs the stand-ins. */
export function installGrafanaRuntime(options: InstallOptions = {}): void {
  const { proxy } = options;
  setBackendSrv(createBackendSrv(proxy ? (url) => resolveProxyRequest(url, proxy) : undefined, options.requests));
  setTemplateSrv(templateSrv(options.variables));
}

/** The instance settings Grafana would give a data source of this plugin, reached at proxyBase(uid). */
export function instanceSettings<Options extends DataSourceJsonData>(
  plugin: { id: string; name: string },
  uid: string,
  jsonData: Options
): DataSourceInstanceSettings<Options> {
  return {
    id: 1,
    uid,
    type: plugin.id,
    name: 'Hydra',
    url: proxyBase(uid),
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: { id: plugin.id, name: plugin.name, type: 'datasource' },
  } as unknown as DataSourceInstanceSettings<Options>;
}
