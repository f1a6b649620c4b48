import fp from 'fastify-plugin';
import { AlertDispatcher } from '../../alerts/alert-dispatcher.ts';
import { AlertService } from '../../alerts/alert-service.ts';
import type { Config } from '../../config.ts';
import { pvNames } from '../../epics/pv-names.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

/** Grafana alert notifications → EPICS alarm writes: recorded first, written after through `fastify.epics`. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const dispatcher = new AlertDispatcher({
      repository: fastify.catalog.alertEvents,
      // Looked up at each put, not captured: whatever writer `fastify.epics` holds once the app is ready.
      writer: {
        get enabled() {
          return fastify.epics.enabled;
        },
        put: (pv, value) => fastify.epics.put(pv, value),
      },
      maxAttempts: config.HYDRA_ALERT_WRITE_ATTEMPTS,
      retryMs: config.HYDRA_ALERT_RETRY_MS,
      logger: fastify.log.child({ component: 'alerts' }),
    });
    fastify.decorate('alerts', new AlertService(fastify.catalog, pvNames(config), dispatcher));
    if (!config.HYDRA_ALERT_WEBHOOK_SECRET) {
      fastify.log.warn(
        'the Grafana alert webhook refuses every notification: HYDRA_ALERT_WEBHOOK_SECRET is empty',
      );
    }
    fastify.addHook('onReady', () => dispatcher.start());
    fastify.addHook('onClose', () => dispatcher.close());
  },
  { name: 'alerts', dependencies: ['catalog', 'epics'] },
);
