import readline from 'node:readline';
import type { Command } from 'commander';
import type { ReprocessComparison, ReprocessJob, ReprocessJobList } from '../../schemas/index.ts';
import { apiRequest, ServerRefusedError, type UploadTarget } from '../ingest-client.ts';
import { describeJob, ProgressLine } from '../job-progress.ts';

const POLL_MS = 1000;

interface ConnectionOptions {
  server: string;
  token?: string;
}

interface StartOptions extends ConnectionOptions {
  deployment: string;
  plotType: string;
  runs?: string;
  from?: string;
  to?: string;
  modelVersion?: string;
  detach?: boolean;
}

const targetOf = (options: ConnectionOptions): UploadTarget => ({
  serverUrl: options.server,
  token: options.token,
});

function withConnection(command: Command): Command {
  return command
    .option('--server <url>', 'inference server', process.env.HYDRA_URL ?? 'http://127.0.0.1:8080')
    .option(
      '--token <token>',
      'API token (or HYDRA_TOKEN); start and cancel need an expert',
      process.env.HYDRA_TOKEN,
    );
}

/** `A-B`, `A` (one run), `A-` (from A on) or `-B` (up to B). */
function parseRuns(runs: string): { runFrom?: number; runTo?: number } {
  const match = /^(\d*)(-?)(\d*)$/.exec(runs);
  if (!match || (!match[1] && !match[3])) {
    throw new Error(`--runs ${runs}: write A-B, A (one run), A- (from A) or -B (up to B)`);
  }
  const [, first, dash, last] = match;
  const runFrom = first ? Number(first) : undefined;
  return { runFrom, runTo: dash ? (last ? Number(last) : undefined) : runFrom };
}

/** Waits `ms`, or less if `wake` is (or gets) aborted. */
const sleep = (ms: number, wake: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (wake.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    wake.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Asks on the terminal whether to cancel the job; without one (or at a second Ctrl+C) the answer is no. */
async function askToCancel(job: ReprocessJob): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    rl.on('SIGINT', () => (rl.close(), resolve(false)));
    rl.question(
      `Cancel reprocessing job ${job.id} on the server? [y/N] (no: detach, it goes on) `,
      (answer) => {
        rl.close();
        resolve(/^y(es)?$/i.test(answer.trim()));
      },
    );
  });
}

/**
 * Follows the job with a progress line until it ends. Ctrl+C asks whether to cancel it or detach; a server that
 * does not answer for a moment (a restart) is waited for. Returns the job as last seen.
 */
async function follow(target: UploadTarget, jobId: number): Promise<ReprocessJob> {
  const line = new ProgressLine(process.stdout);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.on('SIGINT', onSigint);
  let job = await apiRequest<ReprocessJob>(target, 'GET', `/api/v1/reprocess/${jobId}`);
  console.log(describeJob(job));
  try {
    for (;;) {
      line.update(job);
      if (job.status === 'completed' || job.status === 'cancelled') break;
      await sleep(POLL_MS, interrupt.signal);
      if (interrupt.signal.aborted) {
        line.end();
        if (await askToCancel(job)) {
          job = await apiRequest<ReprocessJob>(target, 'POST', `/api/v1/reprocess/${jobId}/cancel`);
          line.update(job);
          break;
        }
        console.log(`detached; the job goes on: hydra reprocess follow ${jobId}`);
        return job;
      }
      job = await apiRequest<ReprocessJob>(target, 'GET', `/api/v1/reprocess/${jobId}`).catch(
        (error: Error) => {
          if (error instanceof ServerRefusedError) throw error;
          return job;
        },
      );
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  line.end();
  console.log(
    `${describeJob(job)} ${job.status}: ${job.done} reprocessed, ${job.failed} failed of ${job.total}` +
      (job.status === 'completed'
        ? `; compare it with the live verdicts: hydra reprocess compare ${jobId}`
        : ''),
  );
  if (job.status === 'cancelled') process.exitCode = 1;
  return job;
}

function printComparison(comparison: ReprocessComparison): void {
  const { job } = comparison;
  console.log(describeJob(job));
  const rate = comparison.agreement === null ? 'n/a' : `${(comparison.agreement * 100).toFixed(1)}%`;
  console.log(
    `${comparison.reprocessed} images reprocessed, ${comparison.compared} with a live verdict, ` +
      `${comparison.agreed} agree (${rate})`,
  );
  for (const version of comparison.liveVersions) {
    console.log(`live verdicts by ${version.model} v${version.version}: ${version.images} images`);
  }
  console.log(`live → ${job.model} v${job.modelVersion}: images`);
  for (const cell of comparison.confusion) {
    console.log(`  ${cell.live ?? '(none)'} → ${cell.reprocessed}: ${cell.count}`);
  }
}

export function registerReprocessCommand(program: Command): void {
  const reprocess = program
    .command('reprocess')
    .description('Offline reprocessing: a model version over a run period, behind live images');

  withConnection(reprocess.command('start'))
    .description(
      'Reprocess the plot type images of a run or time range, and follow the job (Ctrl+C: cancel or detach)',
    )
    .requiredOption('--deployment <name>', 'deployment of the plot type')
    .requiredOption('--plot-type <name>', 'plot type whose images are reprocessed')
    .option('--runs <range>', 'run range: A-B, A (one run), A- or -B')
    .option('--from <time>', 'or capture times from (RFC 3339, e.g. 2024-05-01T00:00:00Z)')
    .option('--to <time>', 'capture times up to (RFC 3339)')
    .option(
      '--model-version <id>',
      'model version id (GET /api/v1/models/<plotTypeId>); default: the active one',
    )
    .option('--detach', 'print the job and return at once; it goes on in the server')
    .action(async (options: StartOptions) => {
      const target = targetOf(options);
      const job = await apiRequest<ReprocessJob>(target, 'POST', '/api/v1/reprocess', {
        deployment: options.deployment,
        plotType: options.plotType,
        ...(options.runs !== undefined && parseRuns(options.runs)),
        ...(options.from !== undefined && { from: options.from }),
        ...(options.to !== undefined && { to: options.to }),
        ...(options.modelVersion !== undefined && { modelVersionId: Number(options.modelVersion) }),
      });
      if (options.detach) {
        console.log(`${describeJob(job)}: ${job.total} images queued; hydra reprocess follow ${job.id}`);
        return;
      }
      await follow(target, job.id);
    });

  withConnection(reprocess.command('follow'))
    .description('Follow a job with a progress line until it ends (Ctrl+C: cancel or detach)')
    .argument('<id>', 'job id')
    .action(async (id: string, options: ConnectionOptions) => {
      await follow(targetOf(options), Number(id));
    });

  withConnection(reprocess.command('cancel'))
    .description('Cancel a job: its remaining images are not processed')
    .argument('<id>', 'job id')
    .action(async (id: string, options: ConnectionOptions) => {
      const job = await apiRequest<ReprocessJob>(targetOf(options), 'POST', `/api/v1/reprocess/${id}/cancel`);
      console.log(
        `${describeJob(job)} cancelled: ${job.done} reprocessed, ${job.failed} failed of ${job.total}`,
      );
    });

  withConnection(reprocess.command('list'))
    .description('Reprocessing jobs, newest first')
    .action(async (options: ConnectionOptions) => {
      const { items } = await apiRequest<ReprocessJobList>(targetOf(options), 'GET', '/api/v1/reprocess');
      for (const job of items) {
        console.log(`${describeJob(job)}: ${job.status}, ${job.done + job.failed}/${job.total}`);
      }
    });

  withConnection(reprocess.command('compare'))
    .description("A job's verdicts against the live ones: agreement and confusion")
    .argument('<id>', 'job id')
    .action(async (id: string, options: ConnectionOptions) => {
      printComparison(
        await apiRequest<ReprocessComparison>(
          targetOf(options),
          'GET',
          `/api/v1/reprocess/${id}/comparison?limit=0`,
        ),
      );
    });
}
