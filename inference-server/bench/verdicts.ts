// What storing a batch's verdicts costs in the catalog, with and without reading them back through the
// prediction join (what the batcher did before it built one Verdict record), on SQLite and, when it is reachable,
// PostgreSQL. Run: npm run bench:verdicts
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../src/catalog/catalog.ts';
import type { NewVerdict } from '../src/catalog/repositories/predictions-repository.ts';
import { createPostgresDatabase } from '../test/helpers/services.ts';

const BATCH = 16;
const ROUNDS = 150;

async function seed(catalog: Catalog) {
  await catalog.migrate();
  const deployment = await catalog.deployments.ensure('bench');
  const plotType = await catalog.plotTypes.ensure(deployment.id, 'CDC_occupancy');
  const version = await catalog.models.createVersion({
    plotTypeId: plotType.id,
    name: 'bench',
    architecture: 'small-cnn',
    kind: 'classifier',
    inputShape: [64, 64, 1],
    classes: ['Good', 'Bad'],
    thresholds: {},
    artifactPath: 'models/bench',
  });
  const runId = await catalog.runs.ensure(deployment.id, 1, Date.now());
  let next = 0;
  /** A batch of pending images and the verdicts the batcher would make for them. */
  return async (): Promise<NewVerdict[]> => {
    const verdicts: NewVerdict[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = next++;
      const { image } = await catalog.images.insert({
        sha256: n.toString(16).padStart(64, '0'),
        dedup_key: `bench:${n}`,
        plot_type_id: plotType.id,
        run_id: runId,
        chunk: null,
        captured_at: Date.now(),
        received_at: Date.now(),
        path: `images/${n}.png`,
        format: 'png',
        bytes: 1000,
        width: 800,
        height: 600,
        status: 'pending',
        error: null,
        claimed_by: null,
        claimed_until: null,
      });
      verdicts.push({
        imageId: image.id,
        deployment: 'bench',
        plotTypeId: plotType.id,
        plotType: 'CDC_occupancy',
        run: 1,
        modelVersionId: version.id,
        model: 'bench',
        modelVersion: 1,
        kind: 'classifier',
        scores: { Good: 0.9, Bad: 0.1 },
        verdict: 'Good',
        confidence: 0.9,
        confirmed: true,
        beam: 'unknown',
        latencyMs: 10,
        inferenceMs: 2,
        capturedAt: Date.now(),
        createdAt: Date.now(),
      });
    }
    return verdicts;
  };
}

/** Median ms per batch of `store`, alternating the two ways so that load on the machine falls on both. */
async function measure(catalog: Catalog) {
  const batch = await seed(catalog);
  const times = { recordOnly: [] as number[], recordAndReread: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const recordOnly = await batch();
    let started = performance.now();
    await catalog.predictions.record(recordOnly);
    times.recordOnly.push(performance.now() - started);

    const reread = await batch();
    started = performance.now();
    const stored = await catalog.predictions.record(reread);
    await catalog.predictions.latestForImages(stored.map((v) => v.imageId));
    times.recordAndReread.push(performance.now() - started);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { recordOnly: median(times.recordOnly), recordAndReread: median(times.recordAndReread) };
}

async function report(engine: string, open: () => Promise<{ catalog: Catalog; done: () => Promise<void> }>) {
  const { catalog, done } = await open();
  try {
    const { recordOnly, recordAndReread } = await measure(catalog);
    console.log(
      `${engine}: storing a batch of ${BATCH} verdicts ${recordOnly.toFixed(2)} ms; with the re-read join ` +
        `${recordAndReread.toFixed(2)} ms → the Verdict record saves ${(recordAndReread - recordOnly).toFixed(2)} ms ` +
        `(${((1 - recordOnly / recordAndReread) * 100).toFixed(0)} %) per batch (median of ${ROUNDS})`,
    );
  } finally {
    await catalog.close();
    await done();
  }
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hydra-bench-verdicts-'));
await report('SQLite', async () => ({
  catalog: Catalog.open(`sqlite:${path.join(dir, 'bench.sqlite')}`),
  done: () => fs.rm(dir, { recursive: true, force: true }),
}));
try {
  const database = await createPostgresDatabase();
  await report('PostgreSQL', async () => ({ catalog: Catalog.open(database.url), done: database.drop }));
} catch (error) {
  console.log(`PostgreSQL: not measured (${(error as Error).message})`);
}
