import path from 'node:path';
import type { Command } from 'commander';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { DemoFeed } from '../../demo/demo-feed.ts';

interface DemoOptions {
  interval: string;
  badRate: string;
  seed: string;
  duration?: string;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Zero-config showcase: the server on the embedded default, fed a live simulated run')
    .option('--interval <seconds>', 'seconds between sets of plots', '5')
    .option('--bad-rate <fraction>', 'share of plots with a fault', '0.15')
    .option(
      '--seed <number>',
      'simulator seed (default: a new one each start)',
      String(Date.now() % 1_000_000),
    )
    .option('--duration <seconds>', 'stop after this long and print memory use (a soak test)')
    .action(async (options: DemoOptions) => {
      // The demo is for one machine: no tokens unless the environment asks for them.
      const config = loadConfig({
        HYDRA_AUTH: 'false',
        HYDRA_DATA_DIR: path.join('data', 'demo'),
        ...process.env,
      });
      const app = await buildApp(config);
      await app.listen({ host: config.HYDRA_HOST, port: config.HYDRA_PORT });
      const feed = new DemoFeed({
        catalog: app.catalog,
        ingest: app.ingest,
        logger: app.log.child({ component: 'demo' }),
        deployment: 'demo',
        intervalMs: Number(options.interval) * 1000,
        setsPerRun: 12,
        badRate: Number(options.badRate),
        seed: Number(options.seed),
        firstRun: 1000,
      });
      await feed.seed();
      feed.start();
      const address = `http://${config.HYDRA_HOST}:${config.HYDRA_PORT}`;
      app.log.info(
        `demo running: ${address}/api/v1/plots?deployment=demo shows the plot grid, ${address}/docs the API. ` +
          'Plot types have no model yet, so images are stored as no_model.',
      );
      const startRss = process.memoryUsage().rss;
      const stop = async () => {
        await feed.stop();
        await app.close();
      };
      if (options.duration) {
        // One sample a minute: the first minute is warm-up (workers' wasm heaps, libvips caches).
        const samples: string[] = [];
        const sampler = setInterval(() => samples.push(megabytes(process.memoryUsage().rss)), 60_000);
        await new Promise((resolve) => setTimeout(resolve, Number(options.duration) * 1000));
        clearInterval(sampler);
        const endRss = process.memoryUsage().rss;
        await stop();
        console.log(
          `RSS at start ${megabytes(startRss)}, at end ${megabytes(endRss)} after ${options.duration} s`,
        );
        console.log(`RSS each minute: ${samples.join(', ')}`);
        return;
      }
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await stop();
    });
}
