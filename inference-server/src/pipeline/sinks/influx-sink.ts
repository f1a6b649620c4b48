import type { FastifyBaseLogger } from 'fastify';
import type { IPoint } from 'influx';
import type { Catalog } from '../../catalog/catalog.ts';
import type { PointWriter } from '../../influx/point-writer.ts';
import { predictionPoint } from '../../influx/prediction-points.ts';
import type { Verdict } from '../verdict.ts';
import type { VerdictSink } from '../verdict-sinks.ts';

/** Points re-sent at one start at most: the writer's buffer holds no more, and the rest wait for the next start. */
const REPLAY_PAGE = 1000;

/**
 * Every verdict as a `hydra_prediction` point, for Grafana's trends and alert rules. The catalog is the source
 * of truth: each prediction is marked once InfluxDB has acknowledged (or for good refused) its point, and the
 * points of a previous run that never were are sent again at the next start.
 */
export class InfluxSink implements VerdictSink {
  readonly name = 'influxdb';
  private readonly predictionOf = new WeakMap<IPoint, number>();

  constructor(
    private readonly writer: PointWriter,
    private readonly catalog: Catalog,
    private readonly logger: FastifyBaseLogger,
  ) {
    writer.onSettled((points) => this.markWritten(points));
  }

  accept(verdicts: readonly Verdict[]): void {
    this.writer.write(
      verdicts.map((verdict) => {
        const point = predictionPoint(verdict);
        this.predictionOf.set(point, verdict.id);
        return point;
      }),
    );
  }

  /** Sends the points InfluxDB never acknowledged, up to what the writer's buffer holds; returns how many. */
  async replayUnwritten(maxPoints: number): Promise<number> {
    let sent = 0;
    let afterId = 0;
    while (sent < maxPoints) {
      const page = await this.catalog.predictions.withUnwrittenPoints(
        afterId,
        Math.min(REPLAY_PAGE, maxPoints - sent),
      );
      if (page.length === 0) break;
      this.accept(page);
      sent += page.length;
      afterId = page.at(-1)!.id;
    }
    if (sent > 0) this.logger.info({ points: sent }, 're-sent the points InfluxDB had not acknowledged');
    return sent;
  }

  private markWritten(points: readonly IPoint[]): void {
    const ids = points.flatMap((point) => this.predictionOf.get(point) ?? []);
    if (ids.length === 0) return;
    this.catalog.predictions
      .markPointsWritten(ids)
      .catch((error: Error) =>
        this.logger.warn({ err: error }, 'could not mark predictions as written to InfluxDB'),
      );
  }
}
