// The verdict sinks: each is a few lines, and a new output is one more entry in the pipeline's list.
export { InfluxSink } from './influx-sink.ts';
import type { GradCamService } from '../../models/gradcam-service.ts';
import { predictionView } from '../../views/api-views.ts';
import type { LiveEvents } from '../live-events.ts';
import type { PipelineStats } from '../pipeline-stats.ts';
import type { VerdictSink } from '../verdict-sinks.ts';

/** A `prediction` event per verdict for open plot grids. */
export const liveEventsSink = (events: LiveEvents): VerdictSink => ({
  name: 'live-events',
  accept: (verdicts) => events.publish('prediction', ...verdicts.map(predictionView)),
});

/** Throughput and latency for /api/v1/status and /metrics. */
export const statsSink = (stats: PipelineStats): VerdictSink => ({
  name: 'stats',
  accept: (verdicts) => stats.recordClassified(verdicts.map((v) => v.latencyMs)),
});

/** Non-Good verdicts are explained ahead of time, so the viewer opens at once. */
export const gradCamSink = (gradcam: GradCamService): VerdictSink => ({
  name: 'gradcam',
  accept: (verdicts) => gradcam.precompute(verdicts.filter((v) => v.verdict !== 'Good')),
});
export { EpicsSink } from './epics-sink.ts';
