import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../server.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the inference server (settings from HYDRA_* variables; see .env.example)')
    .option('--preview', 'serve the preview page at / (HYDRA_PREVIEW; build it with npm run build:preview)')
    .action(async (options: { preview?: boolean }) => {
      await startServer(
        loadConfig({ ...process.env, ...(options.preview ? { HYDRA_PREVIEW: 'true' } : {}) }),
      );
    });
}
