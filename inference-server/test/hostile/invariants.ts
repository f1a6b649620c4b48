import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createPlotType, registerBrightnessModel, uploadPlot, type ApiResponse } from '../helpers/api.ts';
import { after } from 'node:test';
import { buildTestApp, type CleanupScope, type Engine, type TestApp } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { influxQuery, waitFor } from '../helpers/services.ts';

/**
 * What must hold after every hostile request, whatever it was. A new hostile class adds a test file that sends
 * its requests through `expectSurvived`; a new invariant goes here, and every file checks it.
 */

export const DEPLOYMENT = 'halld';
export const PLOT_TYPE = 'CDC_occupancy';

/** Property runs per property: enough to find a class of failure, few enough for ~2 minutes per engine. */
export const NUM_RUNS = 40;

export interface HostileApp extends TestApp {
  plotTypeId: number;
}

/** The real app with a registered plot type and an active model, so that good images become verdicts. */
export async function buildHostileApp(
  scope: CleanupScope,
  engine: Engine,
  extraEnv: Record<string, string> = {},
): Promise<HostileApp> {
  const env = await buildTestApp(scope, engine, extraEnv);
  const plotType = await createPlotType(env.app, env.tokens.admin, DEPLOYMENT, PLOT_TYPE);
  await registerBrightnessModel(env.app, env.tokens.admin, plotType.id);
  return { ...env, plotTypeId: plotType.id };
}

/** Cleanup for the enclosing describe block: what is deferred to it runs after its tests, last first. */
export function suiteScope(): CleanupScope {
  const steps: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const step of steps.reverse()) await step();
  });
  return { after: (step) => void steps.push(step) };
}

/** A client or server failure is a 4xx problem+json that says what was wrong; a 5xx never. */
export function assertNoServerError(response: ApiResponse, what = 'the request'): void {
  assert.ok(response.statusCode < 500, `${what} gave ${response.statusCode}: ${response.body}`);
  if (response.statusCode < 400) return;
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, what);
  const problem = response.json<Record<string, unknown>>();
  for (const key of ['type', 'title', 'detail']) {
    assert.equal(typeof problem[key], 'string', `${what}: the problem has a ${key}: ${response.body}`);
  }
  assert.equal(problem.status, response.statusCode, `${what}: the problem's status is the response's`);
}

/** Every file in the images folder has a catalog row: a refused upload leaves nothing on disk. */
export async function assertNothingOrphaned({ app, dataDir }: TestApp): Promise<void> {
  const folder = path.join(dataDir, 'images');
  const files = await fs.readdir(folder, { recursive: true }).catch(() => [] as string[]);
  const stored = files.filter((name) => /\.(png|jpg)$/.test(name) || name.endsWith('.tmp'));
  if (stored.length === 0) return;
  const known = await app.catalog.images.referencedPaths(stored.map((name) => path.join('images', name)));
  const orphans = stored.filter((name) => !known.has(path.join('images', name)));
  assert.deepEqual(orphans, [], 'image files without a catalog row');
}

/** The server still answers its liveness probe at once: no hostile request may stall the event loop. */
export async function assertHealthyFast({ app }: TestApp): Promise<void> {
  const started = performance.now();
  const response = await app.inject({ url: '/api/v1/health' });
  const elapsed = performance.now() - started;
  assert.equal(response.statusCode, 200);
  assert.ok(elapsed < 100, `/health took ${elapsed.toFixed(0)} ms`);
}

let goodSeed = 1;

/** A good plot still becomes a verdict that reaches InfluxDB (real): nothing poisoned the point stream. */
export async function assertVerdictReachesInflux(env: HostileApp): Promise<void> {
  const seed = goodSeed++;
  const { result, response } = await uploadPlot(
    env.app,
    env.tokens.ingest,
    { deployment: DEPLOYMENT, plotType: PLOT_TYPE, run: String(1000 + seed) },
    await plotPng({ brightness: 0.8, seed: 100_000 + seed }),
  );
  assert.ok(result, `the good upload was refused: ${response.body}`);
  const imageId = result.image.id;
  await waitFor(
    async () =>
      (
        await influxQuery(
          env.influxUrl.replace(/\/[^/]+$/, ''),
          env.influxDatabase,
          `SELECT image_id FROM hydra_prediction WHERE image_id = ${imageId}`,
        )
      ).length > 0,
    { timeoutMs: 30_000, what: `the verdict of image ${imageId} in InfluxDB` },
  );
}

/** The invariants of one hostile request: its answer, then what it may not have left behind. */
export async function expectSurvived(env: TestApp, response: ApiResponse, what?: string): Promise<void> {
  assertNoServerError(response, what);
  await assertNothingOrphaned(env);
  await assertHealthyFast(env);
}

/** Asserts a refusal that names what to fix. */
export function assertProblem(response: ApiResponse, status: number, detail: RegExp): void {
  assertNoServerError(response);
  assert.equal(response.statusCode, status, response.body);
  assert.match(response.json<{ detail: string }>().detail, detail);
}
