import { Command } from 'commander';
import { SERVER_VERSION } from '../version.ts';
import { registerDbCommand } from './commands/db.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerLogbookCommand } from './commands/logbook.ts';
import { registerModelCommand } from './commands/model.ts';
import { registerReprocessCommand } from './commands/reprocess.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSimulateCommand } from './commands/simulate.ts';
import { registerTokenCommand } from './commands/token.ts';

const program = new Command('hydra')
  .description('Hydra: AI data-quality monitoring of detector plots')
  .version(SERVER_VERSION);

registerServeCommand(program);
registerIngestCommand(program);
registerImportCommand(program);
registerDbCommand(program);
registerModelCommand(program);
registerReprocessCommand(program);
registerTokenCommand(program);
registerSimulateCommand(program);
registerDemoCommand(program);
registerLogbookCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  console.error(`hydra: ${(error as Error).message}`);
  process.exitCode = 1;
}
