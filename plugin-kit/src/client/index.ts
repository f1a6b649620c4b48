// The inference server's API as every Hydra plugin reaches it: through the data source's proxy route.
export { HydraClient, type ClientOptions, type Health } from './client';
export { describeError, HydraApiError, isMissingRoute, unavailableMessage, type HydraErrorKind } from './errors';
export { predictionStream } from './events';
export { livePlots, type LivePlotsUpdate } from './livePlots';
export { API_PREFIX, apiUrlOf, HYDRA_PROXY_ROUTE } from './proxyRoute';
export { imagePath, imageUrl, withQuery, type ImageRoute, type QueryParams } from './urls';
