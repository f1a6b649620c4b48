import type { IPoint } from 'influx';
import type { ServerStatus } from '../schemas/index.ts';

/** A verdict sink's name as a field key: `live-events` → `sink_failures_live_events`. */
const sinkField = (sink: string) => `sink_failures_${sink.replace(/\W/g, '_')}`;

/**
 * The `hydra_server` point of one status snapshot, for the Status dashboard. Every field is a float: a field's
 * type is fixed by its first write, and the sink fields are open-ended, so one type for all keeps every later
 * write acceptable. Counters are totals since the start; latency fields are left out while there are no samples.
 */
export function serverPoint(status: ServerStatus, now = Date.now()): IPoint {
  const { workers, queue, throughput, latencyMs, influx, epics } = status;
  const sinks = Object.entries(status.verdictSinks);
  const fields: Record<string, number> = {
    uptime_s: status.uptimeSeconds,
    workers: workers.size,
    workers_busy: workers.busy,
    worker_batches_queued: workers.queued,
    queue_pending: queue.pending,
    queue_failed: queue.failed,
    queue_no_model: queue.noModel,
    images_classified: queue.classified,
    classified_last_minute: throughput.classifiedLastMinute,
    images_per_second: throughput.imagesPerSecond,
    latency_samples: latencyMs.samples,
    catalog_healthy: Number(status.catalog.healthy),
    influx_healthy: Number(influx.healthy),
    influx_buffered: influx.buffered,
    influx_written: influx.written,
    influx_dropped: influx.dropped,
    influx_rejected: influx.rejected,
    influx_failed_writes: influx.failedWrites,
    epics_connected: Number(epics.state === 'connected'),
    epics_puts_ok: epics.puts.ok,
    epics_puts_failed: epics.puts.failed,
    epics_dropped_while_down: epics.puts.droppedWhileDown,
    epics_suppressed_beam_off: epics.puts.suppressedBeamOff,
    sink_failures: sinks.reduce((total, [, sink]) => total + sink.failures, 0),
    ...Object.fromEntries(sinks.map(([sink, { failures }]) => [sinkField(sink), failures])),
  };
  if (latencyMs.p50 !== null) fields.latency_p50_ms = latencyMs.p50;
  if (latencyMs.p99 !== null) fields.latency_p99_ms = latencyMs.p99;
  return {
    measurement: 'hydra_server',
    tags: { instance: status.instance, backend: status.backend.name, version: status.version },
    fields,
    timestamp: (BigInt(now) * 1_000_000n).toString(),
  };
}
