import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** What a query asks the inference server for. Each returns data frames. */
export type QueryType =
  | 'plots' // the latest image and verdict of every plot type of a deployment
  | 'history' // the predictions of one plot type, newest first
  | 'predictions' // predictions over time, one row each
  | 'log' // the non-Good verdicts in the time range
  | 'runs' // runs with their counts of verdicts
  | 'models' // model versions of the deployment's plot types
  | 'verdictChanges'; // annotations: a plot type's verdict changed, or an alarm (confirmed alarm class)

export interface HydraQuery extends DataQuery {
  /** The query schema version; `migrateQuery` brings older saved queries up to date. */
  schemaVersion: number;
  queryType: QueryType;
  deployment: string;
  /** For history, and to narrow predictions, log and annotations. */
  plotType?: string;
  /** Narrows plots to one plot group. */
  group?: string;
  /** Most rows per request. */
  limit?: number;
  /** Plots: keep the panel current with new verdicts (server-sent events, else short polling). */
  live?: boolean;
}

/** Options stored in jsonData: visible to the browser. */
export interface HydraOptions extends DataSourceJsonData {
  /** The inference server's base URL, as Grafana's server reaches it, e.g. http://hydra:8080. */
  url?: string;
  /** Deployment preselected in new queries. */
  defaultDeployment?: string;
}

/** Options stored in secureJsonData: Grafana keeps them server-side and adds the token in the proxy route. */
export interface HydraSecureOptions {
  apiToken?: string;
}

/** A template variable query: what to list. Deployment and group accept template variables such as $deployment. */
export type HydraVariableQuery =
  | { kind: 'deployments' } // the names of the registered deployments
  | { kind: 'groups'; deployment: string } // the plot groups of a deployment
  | { kind: 'plotTypes'; deployment: string; group?: string }; // a deployment's plot types, optionally one group's

export type HydraVariableKind = HydraVariableQuery['kind'];

/** A variable query as Grafana hands it to the variable support and editor (which need a refId). */
export type HydraVariableTarget = HydraVariableQuery & DataQuery;

/** A variable query as it may be saved: typed (with or without a refId), or the legacy text, e.g. `groups($deployment)`. */
export type StoredVariableQuery =
  string | (Partial<DataQuery> & { kind?: string; deployment?: string; group?: string });
