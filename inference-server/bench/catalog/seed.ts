// Fills an empty catalog with a month-like history of several halls: deployments, plot types with their classes
// and two model versions each, runs, images, predictions, labels in undoable batches, log acknowledgements and
// references. The schema comes from the real migrations; the small rows go through the repositories, the big ones
// in bulk (store-images.ts), a few thousand images per transaction.
import { sql, type Kysely } from 'kysely';
import { Repositories } from '../../src/catalog/catalog.ts';
import { connectCatalog } from '../../src/catalog/connection.ts';
import type { Database } from '../../src/catalog/database.ts';
import { migrateToLatest } from '../../src/catalog/migrations/index.ts';
import { inBatches } from '../../src/catalog/repositories/statement-batches.ts';
import { withIndexesDeferred } from './deferred-indexes.ts';
import { PlotRows, SEED_EXPERTS } from './plot-rows.ts';
import { insertRuns, registerPlotTypes, runKey } from './seed-setup.ts';
import { refreshStatistics, storeImages, type BulkImage } from './store-images.ts';
import { MINUTE_MS, planTimeline, SEED_DEPLOYMENTS, timeline } from './timeline.ts';

export interface SeedOptions {
  images: number;
  /** The same seed gives the same catalog (but for the times, which end now). */
  seed?: number;
  /** How many halls (1 to 4): fewer take longer to fill, as one hall writes fewer plots a minute. */
  deployments?: number;
  now?: number;
  /** Called after each transaction with the images stored so far. */
  onProgress?: (images: number) => void;
}

export interface SeedSummary {
  images: number;
  /** Every row inserted: images, predictions, labels, their batches, acknowledgements, runs. */
  rows: number;
  seconds: number;
  /** CPU time of this process (with SQLite, the database's work too; PostgreSQL's server is another process). */
  cpuSeconds: number;
  runs: number;
  plotTypes: number;
  firstCapturedAt: number;
}

const IMAGES_PER_TRANSACTION = 5000;
/** Share of the period, from its start, that the first model version classified; the second did the rest. */
const FIRST_VERSION_SHARE = 0.6;
/** When each plot type's reference was set, as shares of the period: the last one is current. */
const REFERENCE_SHARES = [0.2, 0.7];
const REFERENCE_MIN_CONFIDENCE = 0.95;

/** Seeds the empty catalog at `url` (sqlite:PATH or postgres://...). */
export async function seedCatalog(url: string, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const { images, seed = 1, now = Date.now() } = options;
  const halls = SEED_DEPLOYMENTS.slice(0, options.deployments ?? SEED_DEPLOYMENTS.length);
  if (
    !Number.isInteger(options.deployments ?? 1) ||
    halls.length === 0 ||
    halls.length < (options.deployments ?? 1)
  ) {
    throw new Error(`deployments must be 1 to ${SEED_DEPLOYMENTS.length}, not ${options.deployments}`);
  }
  const { db, engine } = connectCatalog(url);
  try {
    await migrateToLatest(db as Kysely<unknown>, engine);
    const { count } = await db
      .selectFrom('image')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    if (Number(count) > 0)
      throw new Error(`the catalog at ${url} already holds ${count} images: seed an empty one`);

    const repositories = new Repositories(db, engine);
    const plan = planTimeline(seed, halls, images);
    const base = now - plan.minutes * MINUTE_MS;
    const deployments = await registerPlotTypes(repositories, halls);
    const runIds = await insertRuns(db, plan.runs, plan.minutes, base, deployments);

    const rows = new PlotRows(seed, base, now);
    const references = new ReferencePicker(plan.minutes);
    const pending: BulkImage[] = [];
    let stored = 0;
    let flushes = 0;
    let inserted = runIds.size;
    const flush = async () => {
      inserted += await batchLabels(db, pending);
      const ids = await storeImages(db, pending);
      inserted += countRows(pending);
      for (const { index, at } of references.taken()) {
        const row = pending[index]!;
        await repositories.references.set(row.image.plot_type_id, ids[index]!, SEED_EXPERTS[0]!, at);
      }
      stored += pending.length;
      pending.length = 0;
      flushes++;
      // Statistics that keep up with the load, as autovacuum's would: without them PostgreSQL finds an image's
      // latest prediction by walking every newer one.
      if ((flushes & (flushes - 1)) === 0) await sql`analyze`.execute(db);
      options.onProgress?.(stored);
    };
    // The image rows are written four times each (insert, then their summary copies): their indexes wait.
    await withIndexesDeferred(db, engine, ['image'], async () => {
      for (const { minute, runs } of timeline(seed, halls)) {
        if (minute >= plan.minutes) break;
        for (const run of runs) {
          const registered = deployments[run.deployment]!.plotTypes;
          for (const [plotIndex, plotType] of registered.entries()) {
            if (stored + pending.length >= images) break;
            const row = rows.next({
              plotTypeId: plotType.id,
              plotIndex,
              run,
              runId: runIds.get(runKey(run))!,
              minute,
              modelVersionId: plotType.versions[minute < plan.minutes * FIRST_VERSION_SHARE ? 0 : 1]!,
            });
            pending.push(row);
            references.consider(row, pending.length - 1, minute);
          }
        }
        if (pending.length >= IMAGES_PER_TRANSACTION) await flush();
      }
      if (pending.length > 0) await flush();
    });
    await refreshStatistics(db, engine);
    return {
      images: stored,
      rows: inserted,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: Object.values(process.cpuUsage(cpuAtStart)).reduce((sum, us) => sum + us, 0) / 1e6,
      runs: runIds.size,
      plotTypes: deployments.reduce((sum, deployment) => sum + deployment.plotTypes.length, 0),
      firstCapturedAt: base,
    };
  } finally {
    await db.destroy();
  }
}

/** A count with thousands separators. */
export const formatCount = (n: number) => n.toLocaleString('en-US');

/** What a seed stored, how long it took and how fast it went, in a line. */
export function describeSeed(summary: SeedSummary): string {
  const perSecond = (n: number) => formatCount(Math.round(n / summary.seconds));
  return (
    `${formatCount(summary.images)} images, ${formatCount(summary.rows)} rows (${summary.plotTypes} plot types, ` +
    `${formatCount(summary.runs)} runs, from ${new Date(summary.firstCapturedAt).toISOString()}) in ` +
    `${summary.seconds.toFixed(1)} s (${summary.cpuSeconds.toFixed(1)} s of CPU in this process): ` +
    `${perSecond(summary.images)} images/s, ${perSecond(summary.rows)} rows/s`
  );
}

/**
 * One batch per apply: the labels one person gave at one time with one class on one plot type (an expert's hourly
 * session, a shift crew's override); sets their batch ids and returns how many batches it inserted.
 */
async function batchLabels(db: Kysely<Database>, rows: readonly BulkImage[]): Promise<number> {
  const groups = new Map<string, Array<BulkImage['labels'][number]>>();
  for (const row of rows) {
    for (const label of row.labels) {
      const key = [
        row.image.plot_type_id,
        label.user_name,
        label.class_name,
        label.source,
        label.created_at,
      ].join('\u001f');
      const group = groups.get(key);
      if (group) group.push(label);
      else groups.set(key, [label]);
    }
  }
  const entries = [...groups.entries()];
  for (const batch of inBatches(entries)) {
    const inserted = await db
      .insertInto('label_batch')
      .values(
        batch.map(([key, labels]) => ({
          plot_type_id: Number(key.split('\u001f')[0]),
          user_name: labels[0]!.user_name,
          class_name: labels[0]!.class_name,
          source: labels[0]!.source,
          count: labels.length,
          created_at: labels[0]!.created_at,
          undone_at: null,
        })),
      )
      .returning('id')
      .execute();
    batch.forEach(([, labels], i) => labels.forEach((label) => (label.batch_id = inserted[i]!.id)));
  }
  return entries.length;
}

function countRows(rows: readonly BulkImage[]): number {
  return rows.reduce(
    (sum, row) => sum + 1 + (row.prediction ? 1 : 0) + row.labels.length + (row.acknowledgement ? 1 : 0),
    0,
  );
}

/** Picks, per plot type, a sure Good plot at each reference share of the period, and when it became the reference. */
class ReferencePicker {
  private readonly done = new Map<number, number>();
  private chosen: Array<{ index: number; at: number }> = [];

  constructor(private readonly minutes: number) {}

  consider(row: BulkImage, index: number, minute: number): void {
    const plotTypeId = row.image.plot_type_id;
    const set = this.done.get(plotTypeId) ?? 0;
    const due = REFERENCE_SHARES[set];
    if (due === undefined || minute < due * this.minutes) return;
    if (row.prediction?.verdict !== 'Good' || row.prediction.confidence < REFERENCE_MIN_CONFIDENCE) return;
    this.done.set(plotTypeId, set + 1);
    this.chosen.push({ index, at: row.prediction.created_at + 15 * MINUTE_MS });
  }

  /** The picks since the last call, by index in the pending rows. */
  taken(): Array<{ index: number; at: number }> {
    const taken = this.chosen;
    this.chosen = [];
    return taken;
  }
}
