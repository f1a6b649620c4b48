import assert from 'node:assert/strict';
import type { ModelVersion, PlotTypeInfo, PredictionList, ReprocessJob } from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot, type ApiClient } from '../helpers/api.ts';
import type { TestEnvironment } from '../helpers/build-app.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';

export interface ReprocessScene {
  plotType: PlotTypeInfo;
  /** The active version: bright plots are Good. */
  live: ModelVersion;
  /** A second version, not active, that calls every plot the other way. */
  challenger: ModelVersion;
  /** Image ids per run, in upload order. */
  imagesByRun: Map<number, number[]>;
}

/**
 * A plot type with an active brightness model, `perRun` plots in each of `runs` classified live (bright and dark
 * in turn), and an inverted version of the model registered beside it.
 */
export async function classifiedScene(
  api: ApiClient,
  tokens: TestEnvironment['tokens'],
  {
    runs,
    perRun,
    width = 160,
    height = 120,
  }: { runs: number[]; perRun: number; width?: number; height?: number },
): Promise<ReprocessScene> {
  const plotType = await createPlotType(api, tokens.admin, 'halld', 'CDC_occupancy');
  const live = await registerBrightnessModel(api, tokens.expert, plotType.id);
  const imagesByRun = new Map<number, number[]>();
  let seed = 0;
  for (const run of runs) {
    const ids: number[] = [];
    for (let i = 0; i < perRun; i++) {
      seed += 1;
      const png = await plotPng({ brightness: seed % 2 ? 0.85 : 0.15, seed, width, height });
      const { response, result } = await uploadPlot(
        api,
        tokens.ingest,
        { deployment: 'halld', plotType: plotType.name, run: String(run) },
        png,
      );
      assert.equal(response.statusCode, 201, response.body);
      ids.push(result!.image.id);
    }
    imagesByRun.set(run, ids);
  }
  await waitFor(async () => (await livePredictions(api, tokens.viewer)).length === seed, {
    timeoutMs: 60_000,
    what: `${seed} live verdicts`,
  });
  const challenger = await registerBrightnessModel(
    api,
    tokens.expert,
    plotType.id,
    { activate: 'false', name: 'challenger' },
    { inverted: true },
  );
  return { plotType, live, challenger, imagesByRun };
}

export async function livePredictions(api: ApiClient, token: string) {
  return (
    await api.inject({ url: '/api/v1/predictions?deployment=halld&limit=10000', headers: auth(token) })
  ).json<PredictionList>().items;
}

export async function jobPredictions(api: ApiClient, token: string, jobId: number) {
  return (
    await api.inject({ url: `/api/v1/predictions?reprocessJobId=${jobId}&limit=10000`, headers: auth(token) })
  ).json<PredictionList>().items;
}

export async function startReprocess(api: ApiClient, token: string, body: object): Promise<ReprocessJob> {
  const response = await api.inject({
    method: 'POST',
    url: '/api/v1/reprocess',
    headers: auth(token),
    payload: body,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<ReprocessJob>();
}

export async function getJob(api: ApiClient, token: string, id: number): Promise<ReprocessJob> {
  return (await api.inject({ url: `/api/v1/reprocess/${id}`, headers: auth(token) })).json<ReprocessJob>();
}

export async function waitForJobEnd(api: ApiClient, token: string, id: number, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const job = await getJob(api, token, id);
      return (job.status === 'completed' || job.status === 'cancelled') && job;
    },
    { timeoutMs, intervalMs: 50, what: `reprocessing job ${id} to end` },
  );
}
