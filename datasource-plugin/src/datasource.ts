import {
  DataSourceApi,
  LoadingState,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import type { PlotTypeInfo, Prediction } from '@hydra/inference-server/api';
import { apiUrlOf, describeError, HydraApiError, HydraClient, livePlots } from '@hydra/plugin-kit/client';
import { plotsFrame, type HydraFrameMeta } from '@hydra/plugin-kit/frames';
import { catchError, from, map, merge, of, type Observable } from 'rxjs';
import { MIN_SERVER_VERSION, QUERY_SCHEMA_VERSION } from './constants';
import { migrateQuery, migrateVariableQuery } from './migrations';
import {
  logFrame,
  modelsFrame,
  predictionsFrame,
  runsFrame,
  variableValues,
  verdictChangesFrame,
} from './responseHandler';
import type { HydraOptions, HydraQuery, StoredVariableQuery } from './types';
import { HydraVariableSupport } from './variables';

/** Orchestrates: migrates and interpolates queries, calls the client, hands responses to responseHandler. */
export class DataSource extends DataSourceApi<HydraQuery, HydraOptions> {
  readonly client: HydraClient;
  private readonly serverUrl: string;
  private readonly defaultDeployment: string;

  constructor(instanceSettings: DataSourceInstanceSettings<HydraOptions>, client?: HydraClient) {
    super(instanceSettings);
    this.client = client ?? new HydraClient(apiUrlOf(instanceSettings.url!));
    this.serverUrl = instanceSettings.jsonData.url ?? '';
    this.defaultDeployment = instanceSettings.jsonData.defaultDeployment ?? '';
    // Annotation queries use the query editor; verdictChanges is the query type meant for them.
    this.annotations = {};
    // Template variables: a typed query from VariableQueryEditor (the legacy text form still works).
    this.variables = new HydraVariableSupport(this);
  }

  getDefaultQuery(): Partial<HydraQuery> {
    return { schemaVersion: QUERY_SCHEMA_VERSION, queryType: 'plots', deployment: this.defaultDeployment, live: true };
  }

  filterQuery(query: HydraQuery): boolean {
    return !query.hide;
  }

  applyTemplateVariables(query: HydraQuery, scopedVars: ScopedVars): HydraQuery {
    const replace = (value?: string) => (value ? getTemplateSrv().replace(value, scopedVars) : value);
    return {
      ...query,
      deployment: replace(query.deployment) ?? '',
      plotType: replace(query.plotType),
      group: replace(query.group),
    };
  }

  query(request: DataQueryRequest<HydraQuery>): Observable<DataQueryResponse> {
    const queries = request.targets
      .filter((target) => this.filterQuery(target))
      .map((target) => this.applyTemplateVariables(migrateQuery(target, this.defaultDeployment), request.scopedVars));
    if (queries.length === 0) {
      return of({ data: [] });
    }
    return merge(
      ...queries.map((query) => {
        const key = query.refId;
        if (query.queryType === 'plots' && query.live) {
          return this.livePlots(query);
        }
        return from(this.runQuery(query, request.range)).pipe(
          map((data): DataQueryResponse => ({ key, data: [data], state: LoadingState.Done })),
          catchError((error) => of(this.errorResponse(error, query)))
        );
      })
    );
  }

  private errorResponse(error: unknown, query: HydraQuery): DataQueryResponse {
    const message = query.deployment
      ? describeError(error, this.serverUrl || undefined)
      : 'Choose a deployment in the query editor (or set a default in the data source settings).';
    return { key: query.refId, data: [], state: LoadingState.Error, error: { message } };
  }

  /** One query, once. */
  async runQuery(query: HydraQuery, range: TimeRange): Promise<DataFrame> {
    const { deployment, refId, limit } = query;
    if (!deployment) {
      throw new HydraApiError('invalid', 400, 'No deployment', 'choose a deployment', '');
    }
    const meta: HydraFrameMeta = { apiUrl: this.client.apiUrl, deployment };
    const inRange = () =>
      this.predictionsIn(
        deployment,
        range,
        limit,
        query.queryType === 'predictions' || query.queryType === 'log' ? query.plotType : undefined
      );
    switch (query.queryType) {
      case 'plots':
        return plotsFrame(await this.client.plots(deployment), this.client.apiUrl, refId, query.group);
      case 'history': {
        if (!query.plotType) {
          throw new HydraApiError('invalid', 400, 'No plot type', 'choose the plot type whose history to show', '');
        }
        const { items } = await this.client.predictions({ deployment, plotType: query.plotType, limit });
        return predictionsFrame(items, meta, refId, 'history');
      }
      case 'predictions':
        return predictionsFrame(await inRange(), meta, refId);
      case 'log': {
        const [predictions, plotTypes] = await Promise.all([inRange(), this.plotTypes(deployment)]);
        return logFrame(predictions, plotTypes, meta, refId);
      }
      case 'runs': {
        const [runs, predictions, plotTypes] = await Promise.all([
          this.client.runs(deployment, limit),
          inRange(),
          this.plotTypes(deployment),
        ]);
        return runsFrame(runs.items, predictions, plotTypes, meta, refId);
      }
      case 'models': {
        const plotTypes = await this.plotTypes(deployment);
        const versions = await Promise.all(plotTypes.map(async (t) => (await this.client.models(t.id)).items));
        return modelsFrame(plotTypes, versions, meta, refId);
      }
      case 'verdictChanges': {
        const [predictions, plotTypes] = await Promise.all([
          this.predictionsIn(deployment, range, limit, query.plotType),
          this.plotTypes(deployment),
        ]);
        return verdictChangesFrame(predictions, plotTypes, meta, refId);
      }
    }
  }

  private async predictionsIn(
    deployment: string,
    range: TimeRange,
    limit?: number,
    plotType?: string
  ): Promise<Prediction[]> {
    const { items } = await this.client.predictions({
      deployment,
      plotType,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      limit,
    });
    return items;
  }

  private async plotTypes(deployment: string): Promise<PlotTypeInfo[]> {
    return (await this.client.plotTypes(deployment)).items;
  }

  /** The latest plots as a stream: again after every new verdict, and every few seconds (see livePlots). */
  private livePlots(query: HydraQuery): Observable<DataQueryResponse> {
    return livePlots(this.client, query.deployment).pipe(
      map(({ plots, error }): DataQueryResponse => {
        if (!plots) {
          // Shown until the next refresh succeeds: the stream stays open.
          return this.errorResponse(error, query);
        }
        const frame = plotsFrame(plots, this.client.apiUrl, query.refId, query.group);
        return { key: query.refId, data: [frame], state: LoadingState.Streaming };
      })
    );
  }

  /** The values of a template variable; a legacy text query (`groups($deployment)`) is migrated first. */
  async metricFindQuery(query: StoredVariableQuery, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const variable = migrateVariableQuery(query);
    if (variable.kind === 'deployments') {
      const { items } = await this.client.deployments();
      return variableValues(
        'deployments',
        items.map((d) => d.name),
        []
      );
    }
    const replace = (value?: string) => (value ? getTemplateSrv().replace(value, options?.scopedVars) : value);
    const deployment = replace(variable.deployment) || this.defaultDeployment;
    const group = variable.kind === 'plotTypes' ? replace(variable.group) : undefined;
    return variableValues(variable.kind, [], await this.plotTypes(deployment), group);
  }

  /** Reachability, the token and the server version, each failure with a message that says what to fix. Never throws. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.serverUrl) {
      return { status: 'error', message: 'Set the inference server URL (e.g. http://hydra:8080) and save.' };
    }
    try {
      const health = await this.client.health();
      if (!health.authenticated) {
        return {
          status: 'error',
          message: `Reached Hydra ${health.version} at ${this.serverUrl}, but the API token is missing or unknown: create one with \`hydra token create --role labeler\`, paste it under API token and save.`,
        };
      }
      if (!versionAtLeast(health.version, MIN_SERVER_VERSION)) {
        return {
          status: 'error',
          message: `The inference server is version ${health.version}; this data source needs ${MIN_SERVER_VERSION} or newer. Upgrade the server.`,
        };
      }
      const { items } = await this.client.deployments();
      const readOnly = health.role === 'viewer' ? ' The token is read-only (viewer): overrides need role labeler.' : '';
      const none = items.length === 0 ? ' No deployments are registered yet.' : '';
      return {
        status: 'success',
        message: `Connected to Hydra ${health.version} as ${health.role}; ${items.length} deployment(s).${none}${readOnly}`,
      };
    } catch (error) {
      return { status: 'error', message: describeError(error, this.serverUrl) };
    }
  }
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[.-]/)
      .slice(0, 3)
      .map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    if (a[i]! !== b[i]!) {
      return a[i]! > b[i]!;
    }
  }
  return true;
}
