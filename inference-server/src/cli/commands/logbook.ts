import fs from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { LOGBOOK_FORMATS, type LogbookFormat } from '../../enums.ts';
import type { LogbookImportResult } from '../../schemas/index.ts';
import { apiRequest } from '../ingest-client.ts';

interface LogbookImportOptions {
  server: string;
  token?: string;
  deployment: string;
  format?: LogbookFormat;
}

/** The format a file's name says: .csv is CSV, .jsonl, .ndjson and .json are JSON lines. */
function formatOf(file: string): LogbookFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (['.jsonl', '.ndjson', '.json'].includes(extension)) return 'jsonl';
  throw new Error(`cannot tell the format of ${file} from its name: give --format csv or --format jsonl`);
}

export function registerLogbookCommand(program: Command): void {
  const logbook = program
    .command('logbook')
    .description("The shift logbook, to measure the monitor's lead time");
  logbook
    .command('import')
    .description(
      'Import logbook entries (CSV with a header row time,author,text[,detector,plot_type,run], or JSON lines): ' +
        'the good rows land, each bad row is reported with its line, and entries already imported are skipped',
    )
    .argument('<file>', 'the logbook file')
    .option('--server <url>', 'inference server', process.env.HYDRA_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'API token of an expert, or HYDRA_TOKEN', process.env.HYDRA_TOKEN)
    .requiredOption('--deployment <name>', 'deployment whose logbook it is')
    .addOption(
      new Option('--format <format>', 'the file format (default: from its name)').choices(LOGBOOK_FORMATS),
    )
    .action(async (file: string, options: LogbookImportOptions) => {
      const content = await fs.readFile(file, 'utf8').catch((error: Error) => {
        throw new Error(`cannot read ${file}: ${error.message}`);
      });
      const result = await apiRequest<LogbookImportResult>(
        { serverUrl: options.server, token: options.token },
        'POST',
        '/api/v1/logbook',
        { deployment: options.deployment, format: options.format ?? formatOf(file), content },
      );
      for (const { line, reason } of result.rejected) console.error(`${file}:${line}: ${reason}`);
      console.error(
        `${result.rows} rows: ${result.added} added, ${result.duplicates} already imported, ` +
          `${result.rejected.length} rejected`,
      );
      // A bad row is an error for scripts, even though the good rows landed.
      if (result.rejected.length > 0) process.exitCode = 2;
    });
}
