import fp from 'fastify-plugin';
import { AlertDispatcher } from '../../alerts/alert-dispatcher.ts';
import { AlertService } from '../../alerts/alert-service.ts';
import type { Config } from '../../config.ts';
import { pvNames } from '../../epics/pv-names.ts';
import type { PvWriter } from '../../epics/pv-writer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Channel Access writes; decorated by the EPICS plugin (plugins/app/epics.ts). */
    epics: PvWriter;
    alerts: AlertService;
  }
}

/** The writer used when no EPICS plugin decorated one: every put fails with the reason, and is recorded so. */
const NO_EPICS: PvWriter = {
  enabled: false,
  put: async (pv, value) => ({ pv, value, ok: false, error: 'no EPICS writer is loaded', at: Date.now() }),
};

/** Grafana alert notifications → EPICS alarm writes, recorded first and written after, with retries. */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    // Whatever the EPICS plugin decorated, looked up at each put, so the order of registration does not matter.
    const epics = (): PvWriter => (fastify.hasDecorator('epics') ? fastify.epics : NO_EPICS);
    const dispatcher = new AlertDispatcher({
      repository: fastify.catalog.alertEvents,
      writer: {
        get enabled() {
          return epics().enabled;
        },
        put: (pv, value) => epics().put(pv, value),
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
  { name: 'alerts', dependencies: ['catalog'] },
);
