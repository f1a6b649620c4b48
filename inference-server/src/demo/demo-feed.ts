import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import type { IngestService } from '../pipeline/ingest.ts';
import { plotKinds, simulateRun } from '../simulator/index.ts';

export interface DemoFeedOptions {
  catalog: Catalog;
  ingest: IngestService;
  logger: FastifyBaseLogger;
  deployment: string;
  /** A set of plots (one per kind) is written this often. */
  intervalMs: number;
  /** Sets per run before the run number moves on. */
  setsPerRun: number;
  badRate: number;
  seed: number;
  firstRun: number;
}

/**
 * A live "run" for the demo: every interval, one simulated plot of every kind goes through ingest, with
 * faults now and then, as online monitoring would write them.
 */
export class DemoFeed {
  private timer: NodeJS.Timeout | undefined;
  private set = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: DemoFeedOptions) {}

  /** Registers the demo deployment and one plot type per plot kind. */
  async seed(): Promise<void> {
    const { catalog, deployment } = this.options;
    const row = await catalog.deployments.ensure(deployment, 'Hydra demo (simulated detector)');
    for (const kind of plotKinds) {
      await catalog.plotTypes.ensure(row.id, kind.name, {
        group: kind.name.split('_')[0],
        title: kind.title,
      });
    }
  }

  start(): void {
    const tick = () => {
      this.sending = this.sending.then(() => this.sendSet());
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
  }

  private async sendSet(): Promise<void> {
    const { setsPerRun, firstRun, seed, badRate, deployment, logger, ingest } = this.options;
    const run = firstRun + Math.floor(this.set / setsPerRun);
    const setSeed = seed + this.set;
    this.set += 1;
    const plots = await simulateRun({ run, seed: setSeed, badRate, time: new Date() });
    const faults: string[] = [];
    for (const plot of plots) {
      try {
        await ingest.accept({
          content: plot.png,
          deployment,
          plotType: plot.kind,
          run,
          chunk: String(setSeed),
        });
        if (plot.fault)
          faults.push(
            `${plot.kind}: ${plot.fault.mode}${plot.fault.strength === 'subtle' ? ' (subtle)' : ''}`,
          );
      } catch (error) {
        logger.error({ err: error, plotType: plot.kind }, 'demo plot refused');
      }
    }
    logger.info(
      { run, plots: plots.length, faults },
      `demo: run ${run}, ${plots.length} plots, ${faults.length} with a fault`,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
  }
}
