// The API contract: request and response schemas, and their types. The Grafana plugins import these
// types (`import type ... from '@hydra/inference-server/api'`), so the server and the UI cannot drift.
export * from './alerts.ts';
export * from './common.ts';
export * from './deployments.ts';
export * from './images.ts';
export * from './labels.ts';
export * from './library.ts';
export * from './log.ts';
export * from './models.ts';
export * from './names.ts';
export * from './news.ts';
export * from './plots.ts';
export * from './predictions.ts';
export * from './reprocess.ts';
export * from './runs.ts';
export * from './status.ts';
export * from './summary.ts';
export * from './tokens.ts';
export * from './training.ts';
export * from './incidents.ts';
export * from './anomaly.ts';
export * from './clusters.ts';
