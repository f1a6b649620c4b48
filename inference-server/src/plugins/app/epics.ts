import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { EpicsService } from '../../epics/epics-service.ts';
import { pvNames } from '../../epics/pv-names.ts';
import type { PvWriter } from '../../epics/pv-writer.ts';
import { EpicsSink } from '../../pipeline/sinks/index.ts';
import type { EpicsStatus } from '../../schemas/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes PVs; when EPICS is not configured, every put fails with that reason. */
    epics: PvWriter;
    epicsStatus: () => EpicsStatus;
  }
}

/**
 * Channel Access: connects at start without waiting for the IOC, feeds the pipeline's machine state (beam and
 * run) from the monitored PVs, writes every verdict through the EPICS sink, and closes its context on close.
 */
export default fp(
  async (fastify, opts: { config: Config }) => {
    const { config } = opts;
    const logger = fastify.log.child({ component: 'epics' });
    const service = new EpicsService(config, fastify.machineState, logger);
    const sink = new EpicsSink({
      writer: service.writer,
      names: pvNames(config),
      classesOf: (plotTypeId) => fastify.catalog.plotTypes.listClasses(plotTypeId),
      logger,
    });
    if (service.writer.enabled) fastify.verdictSinks.add(sink);

    fastify.decorate('epics', service.writer);
    fastify.decorate('epicsStatus', (): EpicsStatus => {
      const { since, ...status } = service.status();
      const machine = fastify.machineState;
      return {
        ...status,
        since: since === null ? null : new Date(since).toISOString(),
        puts: { ...status.puts, suppressedBeamOff: sink.suppressedBeamOff },
        beam: {
          state: machine.beam(),
          current: machine.current(),
          threshold: config.HYDRA_EPICS_BEAM_THRESHOLD,
          pv: config.HYDRA_EPICS_BEAM_CURRENT_PV || null,
        },
        run: { number: machine.runNumber(), pv: config.HYDRA_EPICS_RUN_NUMBER_PV || null },
      };
    });
    fastify.addHook('onReady', async () => service.start());
    fastify.addHook('onClose', async () => service.close());
  },
  { name: 'epics', dependencies: ['catalog', 'pipeline'] },
);
