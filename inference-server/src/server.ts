import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

/** Owns the process: builds the app, listens, and closes gracefully on a signal. */
export async function startServer(config: Config): Promise<void> {
  const app = await buildApp(config);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  await app.listen({ host: config.HYDRA_HOST, port: config.HYDRA_PORT });
}
