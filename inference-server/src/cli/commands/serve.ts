import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../server.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the inference server (settings from HYDRA_* variables; see .env.example)')
    .action(async () => {
      await startServer(loadConfig());
    });
}
