import closeWithGrace from 'close-with-grace';
import type { FastifyServerOptions } from 'fastify';
import { pino } from 'pino';
import PinoPretty from 'pino-pretty';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

/**
 * Readable lines for a person at a terminal (pino-pretty), JSON lines for everything else (journald, Docker, a
 * log shipper): the process owner decides, the app only logs. pino-pretty runs in this thread, not as a pino
 * transport: once, when the terminal closed, a transport's thread died first and the main thread spun on its
 * buffer instead of exiting.
 */
export function processLogger(
  config: Config,
  stdout: { isTTY?: boolean } = process.stdout,
): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (!stdout.isTTY) return { logger: { level: config.HYDRA_LOG_LEVEL } };
  const pretty = PinoPretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { loggerInstance: pino({ level: config.HYDRA_LOG_LEVEL }, pretty) };
}

/** Owns the process: builds the app, listens, and closes gracefully on a signal. */
export async function startServer(config: Config): Promise<void> {
  const app = await buildApp(config, processLogger(config));
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  await app.listen({ host: config.HYDRA_HOST, port: config.HYDRA_PORT });
}
