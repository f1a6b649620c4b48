import type { FastifyInstance } from 'fastify';
import type { WorkerBusyTime as PoolBusyTime } from '../inference/pool.ts';
import type { ServerStatus, WorkerBusyTime } from '../schemas/index.ts';
import { SERVER_VERSION } from '../version.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The writer's counters, and whether InfluxDB answers now: a ping, not only the last write. */
async function influxHealth(fastify: FastifyInstance): Promise<ServerStatus['influx']> {
  const { lastWriteAt, healthy: writesHealthy, ...counters } = fastify.influxStatus();
  const ping = await fastify.pointWriter?.ping();
  return {
    ...counters,
    healthy: writesHealthy && ping?.reachable === true,
    ping: ping ? { ...ping, checkedAt: iso(ping.checkedAt) } : null,
    lastWriteAt: lastWriteAt === null ? null : iso(lastWriteAt),
  };
}

/** What `/api/v1/status` answers and each `hydra_server` point records, read from the running services. */
export async function serverStatus(fastify: FastifyInstance): Promise<ServerStatus> {
  const { catalog, inferencePool, pipelineStats } = fastify;
  const catalogHealthy = await catalog.ping().then(
    () => true,
    () => false,
  );
  const counts = catalogHealthy
    ? await catalog.images.countByStatus()
    : { pending: 0, classified: 0, failed: 0, no_model: 0 };
  const workers = inferencePool.stats();
  return {
    version: SERVER_VERSION,
    uptimeSeconds: process.uptime(),
    instance: fastify.instanceId,
    auth: fastify.authEnabled,
    backend: inferencePool.backend,
    workers: {
      size: workers.size,
      busy: workers.busy,
      queued: workers.queued,
      perWorker: inferencePool.busyTime().map(workerBusyView),
    },
    catalog: { engine: catalog.engine, healthy: catalogHealthy },
    queue: {
      pending: counts.pending,
      classified: counts.classified,
      failed: counts.failed,
      noModel: counts.no_model,
    },
    throughput: pipelineStats.throughput(),
    latencyMs: pipelineStats.latency(),
    verdictSinks: Object.fromEntries(
      Object.entries(fastify.verdictSinks.failureCounts()).map(([sink, failures]) => [sink, { failures }]),
    ),
    influx: await influxHealth(fastify),
    epics: fastify.epicsStatus(),
    storage: fastify.imageStorage.current(),
  };
}

function workerBusyView({ worker, upMs, busyMs }: PoolBusyTime): WorkerBusyTime {
  const byRequest = Object.entries(busyMs).map(([request, ms]) => [request, ms / 1000] as const);
  return {
    worker,
    upSeconds: upMs / 1000,
    busySeconds: byRequest.reduce((total, [, seconds]) => total + seconds, 0),
    busySecondsByRequest: Object.fromEntries(byRequest),
  };
}
