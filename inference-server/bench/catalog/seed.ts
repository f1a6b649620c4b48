// Fills an empty catalog with a month-like history of several halls: deployments, plot types with their classes
// and two model versions each, runs, images, predictions, labels in undoable batches, log acknowledgements and
// references. The schema comes from the real migrations; the small rows go through the repositories, the big ones
// in bulk (store-images.ts), a few thousand images per transaction.
import { sql, type Kysely } from 'kysely';
import { Repositories } from '../../src/catalog/catalog.ts';
import { connectCatalog, type SqlEngine } from '../../src/catalog/connection.ts';
import type { Database } from '../../src/catalog/database.ts';
import { migrateToLatest } from '../../src/catalog/migrations/index.ts';
import { inBatches } from '../../src/catalog/repositories/statement-batches.ts';
import { withIndexesDeferred } from './deferred-indexes.ts';
import { classDefinitions } from '../../src/models/model-library.ts';
import { PlotRows, SEED_RULE } from './plot-rows.ts';
import { storeImages, type BulkImage } from './store-images.ts';
import { planTimeline, SEED_DEPLOYMENTS, SEED_PLOT_TYPES, timeline, type ScheduledRun } from './timeline.ts';

export interface SeedOptions {
  images: number;
  /** The same seed gives the same catalog (but for the times, which end now). */
  seed?: number;
  now?: number;
  /** Called after each transaction with the images stored so far. */
  onProgress?: (images: number) => void;
}

export interface SeedSummary {
  images: number;
  /** Every row inserted: images, predictions, labels, their batches, acknowledgements, runs. */
  rows: number;
  seconds: number;
  runs: number;
  plotTypes: number;
  firstCapturedAt: number;
}

const IMAGES_PER_TRANSACTION = 5000;
const MINUTE_MS = 60_000;
/** Share of the period, from its start, that the first model version classified; the second did the rest. */
const FIRST_VERSION_SHARE = 0.6;
/** When each plot type's reference was set, as shares of the period: the last one is current. */
const REFERENCE_SHARES = [0.2, 0.7];
const REFERENCE_MIN_CONFIDENCE = 0.95;

/** Seeds the empty catalog at `url` (sqlite:PATH or postgres://...). */
export async function seedCatalog(url: string, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const { images, seed = 1, now = Date.now() } = options;
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
    const plan = planTimeline(seed, images);
    const base = now - plan.minutes * MINUTE_MS;
    const deployments = await registerPlotTypes(repositories);
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
        await repositories.references.set(row.image.plot_type_id, ids[index]!, 'alice', at);
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
      for (const { minute, runs } of timeline(seed)) {
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
      runs: runIds.size,
      plotTypes: deployments.reduce((sum, deployment) => sum + deployment.plotTypes.length, 0),
      firstCapturedAt: base,
    };
  } finally {
    await db.destroy();
  }
}

/** Fresh planner statistics, and on PostgreSQL a visibility map (index-only scans), as a catalog in use has. */
export async function refreshStatistics(db: Kysely<Database>, engine: SqlEngine): Promise<void> {
  await sql`${sql.raw(engine === 'postgres' ? 'vacuum analyze' : 'analyze')}`.execute(db);
}

interface RegisteredPlotType {
  id: number;
  /** The first and second model version's ids. */
  versions: number[];
}

interface RegisteredDeployment {
  id: number;
  plotTypes: RegisteredPlotType[];
}

/** Each hall's deployment and plot types, with their classes and two versions of a model, the second active. */
async function registerPlotTypes(repositories: Repositories): Promise<RegisteredDeployment[]> {
  const registered: RegisteredDeployment[] = [];
  for (const deployment of SEED_DEPLOYMENTS) {
    const row = await repositories.deployments.ensure(deployment.name, deployment.title);
    const plotTypes: RegisteredPlotType[] = [];
    for (const { name, group, title } of SEED_PLOT_TYPES) {
      const plotType = await repositories.plotTypes.ensure(row.id, name, { group, title });
      await repositories.plotTypes.defineClasses(plotType.id, classDefinitions(SEED_RULE.classes));
      const versions: number[] = [];
      for (const reason of ['first model', 'retrained on the newer runs']) {
        const version = await repositories.models.createVersion({
          plotTypeId: plotType.id,
          name,
          architecture: 'small-cnn',
          kind: SEED_RULE.kind,
          inputShape: [128, 128, 1],
          classes: SEED_RULE.classes,
          thresholds: SEED_RULE.thresholds,
          artifactPath: `models/${deployment.name}/${name}/${versions.length + 1}`,
        });
        await repositories.models.activate({
          plotTypeId: plotType.id,
          versionId: version.id,
          actor: 'alice',
          reason,
        });
        versions.push(version.id);
      }
      plotTypes.push({ id: plotType.id, versions });
    }
    registered.push({ id: row.id, plotTypes });
  }
  return registered;
}

const runKey = (run: Pick<ScheduledRun, 'deployment' | 'number'>) => `${run.deployment}:${run.number}`;

/** The runs, ended unless still taking data at the end; returns their ids by deployment index and number. */
async function insertRuns(
  db: Kysely<Database>,
  runs: ScheduledRun[],
  minutes: number,
  base: number,
  deployments: RegisteredDeployment[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const batch of inBatches(runs)) {
    const inserted = await db
      .insertInto('run')
      .values(
        batch.map((run) => ({
          deployment_id: deployments[run.deployment]!.id,
          number: run.number,
          started_at: base + run.startMinute * MINUTE_MS,
          ended_at: run.endMinute > minutes ? null : base + run.endMinute * MINUTE_MS,
          beam_state: 'on',
        })),
      )
      .returning('id')
      .execute();
    batch.forEach((run, i) => ids.set(runKey(run), inserted[i]!.id));
  }
  return ids;
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
