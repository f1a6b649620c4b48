import type { ReprocessJob } from '../schemas/index.ts';

const BAR_WIDTH = 30;

/** The job's range in words: runs, or capture times. */
export function describeJob(job: ReprocessJob): string {
  const range =
    job.runFrom !== null || job.runTo !== null
      ? job.runFrom === job.runTo
        ? `run ${job.runFrom}`
        : `runs ${job.runFrom ?? '…'}-${job.runTo ?? '…'}`
      : `${job.from ?? '…'} to ${job.to ?? '…'}`;
  return `job ${job.id}: ${job.deployment}/${job.plotType} ${range} with ${job.model} v${job.modelVersion}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ${seconds % 60}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** One line of progress: bar, percentage, counts, ETA and status. */
export function progressText(job: ReprocessJob): string {
  const settled = job.done + job.failed;
  const fraction = job.total === 0 ? 1 : settled / job.total;
  const filled = Math.round(fraction * BAR_WIDTH);
  return [
    `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${settled}/${job.total}`,
    ...(job.failed ? [`${job.failed} failed`] : []),
    ...(job.status === 'running' && job.etaSeconds !== null ? [`ETA ${duration(job.etaSeconds)}`] : []),
    job.status,
  ].join('  ');
}

/**
 * A job's progress on `out`: on a terminal, one line redrawn in place; otherwise (a log, a pipe) a plain line at
 * each tenth of the job and at each change of status.
 */
export class ProgressLine {
  private lastStatus = '';
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(job: ReprocessJob): void {
    const text = progressText(job);
    if (this.out.isTTY) {
      // Back to the line's start, the new text, and the rest of the old line erased.
      this.out.write(`\r${text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const tenth = job.total === 0 ? 10 : Math.floor(((job.done + job.failed) / job.total) * 10);
    if (tenth !== this.lastTenth || job.status !== this.lastStatus) {
      this.out.write(`${text}\n`);
      this.lastTenth = tenth;
      this.lastStatus = job.status;
    }
  }

  /** Ends the redrawn line, so that what follows starts on a line of its own. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
