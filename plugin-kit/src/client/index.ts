// The inference server's API as every Hydra plugin reaches it: through the data source's proxy route.
export { HydraAppClient } from './appClient';
export * from './appTypes';
export { HydraClient, type ClientOptions, type Health } from './client';
export { describeError, HydraApiError, type HydraErrorKind } from './errors';
export { predictionStream, trainingJobStream } from './events';
export { livePlots, type LivePlotsUpdate } from './livePlots';
export { apiUrlOf, appProxyBase, HYDRA_PROXY_ROUTE } from './proxyRoute';
export { imageUrl, type ImageRoute, type QueryParams } from './urls';
