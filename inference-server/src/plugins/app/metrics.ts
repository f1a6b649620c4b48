import fp from 'fastify-plugin';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { EPICS_CONNECTION_STATES } from '../../enums.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry;
  }
}

/** Prometheus metrics, read from the services when scraped. */
export default fp(
  async (fastify) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'hydra_process_' });

    const ingested = new Counter({
      name: 'hydra_images_accepted_total',
      help: 'Images accepted, by initial status',
      labelNames: ['status'],
      registers: [registry],
    });
    fastify.addHook('onResponse', async (request, reply) => {
      if (
        request.routeOptions.url === '/api/v1/images' &&
        request.method === 'POST' &&
        reply.statusCode === 201
      ) {
        ingested.inc({ status: 'accepted' });
      }
    });

    new Gauge({
      name: 'hydra_images',
      help: 'Images in the catalog, by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const counts = await fastify.catalog.images.countByStatus();
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'hydra_workers',
      help: 'Inference workers, busy ones, and batches queued for them',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const stats = fastify.inferencePool.stats();
        this.set({ state: 'total' }, stats.size);
        this.set({ state: 'busy' }, stats.busy);
        this.set({ state: 'queued' }, stats.queued);
      },
    });
    new Counter({
      name: 'hydra_worker_busy_seconds_total',
      help: "Time each inference worker's thread spent on requests, by request kind; rate() of the sum per worker is its utilisation",
      labelNames: ['worker', 'request'],
      registers: [registry],
      collect() {
        // Totals kept by the pool: a replaced worker's series ends, and the new worker starts its own.
        this.reset();
        for (const { worker, busyMs } of fastify.inferencePool.busyTime()) {
          for (const [request, ms] of Object.entries(busyMs)) this.inc({ worker, request }, ms / 1000);
        }
      },
    });
    new Gauge({
      name: 'hydra_image_to_verdict_ms',
      help: 'Image-to-verdict latency percentiles over recent predictions',
      labelNames: ['quantile'],
      registers: [registry],
      collect() {
        const latency = fastify.pipelineStats.latency();
        if (latency.p50 !== null) this.set({ quantile: '0.5' }, latency.p50);
        if (latency.p99 !== null) this.set({ quantile: '0.99' }, latency.p99);
      },
    });
    new Gauge({
      name: 'hydra_influx_points',
      help: 'InfluxDB writer: points buffered, written, dropped (buffer full) and rejected (refused by InfluxDB)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const status = fastify.influxStatus();
        this.set({ state: 'buffered' }, status.buffered);
        this.set({ state: 'written' }, status.written);
        this.set({ state: 'dropped' }, status.dropped);
        this.set({ state: 'rejected' }, status.rejected);
      },
    });
    new Gauge({
      name: 'hydra_verdict_sink_failures',
      help: 'Verdict deliveries that a sink failed, by sink, since the start; the verdicts stay stored',
      labelNames: ['sink'],
      registers: [registry],
      collect() {
        for (const [sink, failures] of Object.entries(fastify.verdictSinks.failureCounts())) {
          this.set({ sink }, failures);
        }
      },
    });
    new Gauge({
      name: 'hydra_epics_connected',
      help: 'EPICS Channel Access: 1 in the connection state given (not_configured, connecting, connected, disconnected)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const { state } = fastify.epicsStatus();
        for (const s of EPICS_CONNECTION_STATES) this.set({ state: s }, s === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hydra_epics_puts',
      help: 'EPICS puts since the start: ok, failed, dropped_while_down, catch_up (on reconnect), suppressed_beam_off',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        const { puts } = fastify.epicsStatus();
        this.set({ outcome: 'ok' }, puts.ok);
        this.set({ outcome: 'failed' }, puts.failed);
        this.set({ outcome: 'dropped_while_down' }, puts.droppedWhileDown);
        this.set({ outcome: 'catch_up' }, puts.catchUpWrites);
        this.set({ outcome: 'suppressed_beam_off' }, puts.suppressedBeamOff);
      },
    });
    new Gauge({
      name: 'hydra_epics_beam_on',
      help: 'The beam from the beam-current PV: 1 on, 0 off, -1 unknown',
      registers: [registry],
      collect() {
        const { beam } = fastify.epicsStatus();
        this.set(beam.state === 'on' ? 1 : beam.state === 'off' ? 0 : -1);
      },
    });
    new Gauge({
      name: 'hydra_epics_beam_current',
      help: 'The last beam-current reading (absent while unknown)',
      registers: [registry],
      collect() {
        const { current } = fastify.epicsStatus().beam;
        if (current === null) this.reset();
        else this.set(current);
      },
    });
    new Gauge({
      name: 'hydra_epics_run_number',
      help: 'The run number read from the run-number PV (absent while unknown)',
      registers: [registry],
      collect() {
        const run = fastify.epicsStatus().run.number;
        if (run === null) this.reset();
        else this.set(run);
      },
    });
    fastify.decorate('metricsRegistry', registry);
  },
  { name: 'metrics', dependencies: ['catalog', 'inference-pool', 'pipeline', 'point-writer', 'epics'] },
);
