import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.ts';
import helmet from './plugins/external/helmet.ts';
import multipart from './plugins/external/multipart.ts';
import previewPage from './plugins/external/preview-page.ts';
import rateLimit from './plugins/external/rate-limit.ts';
import swagger from './plugins/external/swagger.ts';
import alerts from './plugins/app/alerts.ts';
import auth from './plugins/app/auth.ts';
import catalog from './plugins/app/catalog.ts';
import epics from './plugins/app/epics.ts';
import errorHandler from './plugins/app/error-handler.ts';
import imageStore from './plugins/app/image-store.ts';
import inferencePool from './plugins/app/inference-pool.ts';
import metrics from './plugins/app/metrics.ts';
import pipeline from './plugins/app/pipeline.ts';
import pointWriter from './plugins/app/point-writer.ts';
import serverPoints from './plugins/app/server-points.ts';
import statusHistory from './plugins/app/status-history.ts';
import trainingQueue from './plugins/app/training-queue.ts';
import publicPaths from './plugins/app/public-paths.ts';
import replicas from './plugins/app/replicas.ts';
import strictNumbers from './plugins/app/strict-numbers.ts';
import metricsRoute from './routes/metrics.ts';
import alertsRoutes from './routes/api/v1/alerts/index.ts';
import deploymentsRoutes from './routes/api/v1/deployments/index.ts';
import eventsRoutes from './routes/api/v1/events/index.ts';
import healthRoutes from './routes/api/v1/health/index.ts';
import imagesRoutes from './routes/api/v1/images/index.ts';
import incidentsRoutes from './routes/api/v1/incidents/index.ts';
import labelsRoutes from './routes/api/v1/labels/index.ts';
import logRoutes from './routes/api/v1/log/index.ts';
import logbookRoutes from './routes/api/v1/logbook/index.ts';
import meRoutes from './routes/api/v1/me/index.ts';
import modelsRoutes from './routes/api/v1/models/index.ts';
import newsRoutes from './routes/api/v1/news/index.ts';
import plotTypesRoutes from './routes/api/v1/plot-types/index.ts';
import plotsRoutes from './routes/api/v1/plots/index.ts';
import predictionsRoutes from './routes/api/v1/predictions/index.ts';
import reprocessRoutes from './routes/api/v1/reprocess/index.ts';
import runsRoutes from './routes/api/v1/runs/index.ts';
import statusRoutes from './routes/api/v1/status/index.ts';
import summaryRoutes from './routes/api/v1/summary/index.ts';
import tokensRoutes from './routes/api/v1/tokens/index.ts';
import trainingJobsRoutes from './routes/api/v1/training-jobs/index.ts';
import { SERVER_VERSION } from './version.ts';

export interface AppOptions {
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

// Each route folder is its URL prefix.
const ROUTES = {
  '/api/v1/alerts': alertsRoutes,
  '/api/v1/deployments': deploymentsRoutes,
  '/api/v1/events': eventsRoutes,
  '/api/v1/health': healthRoutes,
  '/api/v1/images': imagesRoutes,
  '/api/v1/incidents': incidentsRoutes,
  '/api/v1/labels': labelsRoutes,
  '/api/v1/log': logRoutes,
  '/api/v1/logbook': logbookRoutes,
  '/api/v1/me': meRoutes,
  '/api/v1/models': modelsRoutes,
  '/api/v1/news': newsRoutes,
  '/api/v1/plot-types': plotTypesRoutes,
  '/api/v1/plots': plotsRoutes,
  '/api/v1/predictions': predictionsRoutes,
  '/api/v1/reprocess': reprocessRoutes,
  '/api/v1/runs': runsRoutes,
  '/api/v1/status': statusRoutes,
  '/api/v1/summary': summaryRoutes,
  '/api/v1/tokens': tokensRoutes,
  '/api/v1/training-jobs': trainingJobsRoutes,
};

/** The application as a Fastify plugin: services first, then routes. */
export const hydraApp = fp(
  async (fastify, { config }: AppOptions) => {
    fastify.decorate('config', config);
    await fastify.register(errorHandler);
    await fastify.register(helmet);
    await fastify.register(publicPaths, { config });
    await fastify.register(strictNumbers);
    await fastify.register(multipart);
    await fastify.register(swagger, { version: SERVER_VERSION });

    await fastify.register(catalog, { config });
    await fastify.register(replicas, { config });
    await fastify.register(imageStore, { config });
    await fastify.register(pointWriter, { config });
    await fastify.register(inferencePool, { config });
    await fastify.register(pipeline, { config });
    await fastify.register(epics, { config });
    await fastify.register(trainingQueue, { config });
    await fastify.register(auth, { config });
    await fastify.register(rateLimit, { config });
    await fastify.register(alerts, { config });
    await fastify.register(metrics);
    await fastify.register(statusHistory, { config });
    await fastify.register(serverPoints, { config });

    await fastify.register(previewPage, { config });
    for (const [prefix, routes] of Object.entries(ROUTES)) {
      await fastify.register(routes, { prefix });
    }
    await fastify.register(metricsRoute);
  },
  { name: 'hydra-app' },
);

/** HYDRA_TRUST_PROXY as Fastify's trustProxy: nothing, every hop, or the listed addresses and CIDRs. */
function trustedProxies(setting: string): boolean | string {
  return setting === 'true' ? true : setting.trim() || false;
}

/** Builds the app exactly as the server and the tests use it. */
export async function buildApp(
  config: Config,
  options: Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> = {},
): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: options.logger ?? { level: config.HYDRA_LOG_LEVEL },
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance, logger: undefined } : {}),
    // Plots arrive in bursts from DAQ machines; keep-alive connections are cheap to keep.
    keepAliveTimeout: config.HYDRA_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.HYDRA_IDLE_TIMEOUT_MS,
    requestTimeout: config.HYDRA_REQUEST_TIMEOUT_MS,
    http: {
      // Node checks request timeouts on this interval (30 s by default): a late request closes within a second.
      connectionsCheckingInterval: 1000,
      headersTimeout: Math.min(60_000, config.HYDRA_REQUEST_TIMEOUT_MS),
    },
    // Workers compile the wasm backend at start-up; on a busy two-core machine that takes far more than 10 s.
    pluginTimeout: 120_000,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    trustProxy: trustedProxies(config.HYDRA_TRUST_PROXY),
  }).withTypeProvider<TypeBoxTypeProvider>();
  try {
    await fastify.register(hydraApp, { config });
    await fastify.ready();
  } catch (error) {
    // What started before the failure (the catalog's connections, workers) must not keep the process alive.
    await fastify.close().catch(() => undefined);
    throw error;
  }
  return fastify;
}
