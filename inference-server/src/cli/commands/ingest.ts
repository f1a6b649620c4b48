import fs from 'node:fs/promises';
import path from 'node:path';
import chokidar from 'chokidar';
import type { Command } from 'commander';
import { describeFile, uploadFile, ServerRefusedError, type UploadTarget } from '../ingest-client.ts';

interface IngestOptions {
  server: string;
  token?: string;
  deployment: string;
  plotType?: string;
  run?: string;
  watch?: string;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

async function ingestOne(target: UploadTarget, file: string, options: IngestOptions): Promise<boolean> {
  const described = describeFile(file);
  const plotType = options.plotType ?? described.plotType;
  const run = options.run === undefined ? described.run : Number(options.run);
  try {
    const { image, duplicate } = await uploadFile(target, file, {
      deployment: options.deployment,
      plotType,
      run,
    });
    console.log(`${file}: image ${image.id} ${duplicate ? 'already known' : image.status}`);
    return true;
  } catch (error) {
    const reason =
      error instanceof ServerRefusedError ? error.message : `not sent: ${(error as Error).message}`;
    console.error(`${file}: ${reason}`);
    return false;
  }
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Send plot images to the server: files once, or a watched folder (<dir>/<run>/<plotType>.png)',
    )
    .argument(
      '[files...]',
      'PNG/JPEG files; the plot type is the file name, the run the parent folder if numeric',
    )
    .option('--watch <dir>', 'watch a folder and send every image written into it (existing ones too)')
    .option('--server <url>', 'inference server', process.env.HYDRA_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'API token with the ingest right (or HYDRA_TOKEN)', process.env.HYDRA_TOKEN)
    .requiredOption('--deployment <name>', 'deployment the plots belong to')
    .option('--plot-type <name>', 'plot type for every file, instead of the file name')
    .option('--run <number>', 'run number for every file, instead of the folder name')
    .action(async (files: string[], options: IngestOptions) => {
      const target = { serverUrl: options.server, token: options.token };
      if (options.watch) {
        await watchFolder(target, options.watch, options);
        return;
      }
      if (files.length === 0) throw new Error('name the files to send, or a folder to --watch');
      let failed = 0;
      for (const file of files) if (!(await ingestOne(target, file, options))) failed++;
      console.error(`${files.length - failed} of ${files.length} sent`);
      if (failed) process.exitCode = 1;
    });
}

async function watchFolder(target: UploadTarget, dir: string, options: IngestOptions) {
  await fs.access(dir);
  console.error(`watching ${path.resolve(dir)} for <run>/<plotType>.png; Ctrl-C stops`);
  const watcher = chokidar.watch(dir, {
    // A plot is sent once its writer has finished with it.
    awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 100 },
  });
  let queue = Promise.resolve();
  const enqueue = (file: string) => {
    if (IMAGE_FILE.test(file))
      queue = queue.then(() => ingestOne(target, file, options).then(() => undefined));
  };
  watcher.on('add', enqueue).on('change', enqueue);
  // Until chokidar has walked the folder, a new subfolder's files can be missed: say when watching is live.
  watcher.once('ready', () => console.error('watching: every new or changed image from now on is sent'));
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await watcher.close();
  await queue;
}
