import type { TestContext } from 'node:test';
import { pvNames } from '../../src/epics/pv-names.ts';
import type { Prediction, PredictionList, ServerStatus } from '../../src/schemas/index.ts';
import { auth, createPlotType, registerBrightnessModel, uploadPlot } from '../helpers/api.ts';
import { buildTestApp, type TestApp } from '../helpers/build-app.ts';
import { EpicsIoc, integerPv, numericPv, stringPv } from '../helpers/epics-ioc.ts';
import { plotPng } from '../helpers/images.ts';
import { waitFor } from '../helpers/services.ts';

export const DEPLOYMENT = 'halld';
export const BEAM_PV = 'TEST:BEAM:CURRENT';
export const RUN_PV = 'TEST:RUN:NUMBER';
export const BEAM_THRESHOLD = 5;
/** What every verdict PV holds before Hydra writes it: p(Good) − p(Bad) is never below −1. */
export const UNWRITTEN = -99;

const names = pvNames({
  HYDRA_EPICS_PV_PREFIX: 'HYDRA:',
  HYDRA_EPICS_PLOT_PV: '{prefix}{deployment}:{plot}',
});
export const plotPv = (plotType: string) => names.plot(DEPLOYMENT, plotType);
export const BAD_COUNT_PV = names.badCount(DEPLOYMENT);
export const LAST_BAD_PV = names.lastBad(DEPLOYMENT);

export interface EpicsApp extends TestApp {
  ioc: EpicsIoc;
}

/** A real IOC with the PVs of these plot types, and the real app connected to it, each with the brightness model. */
export async function startEpicsApp(
  t: TestContext,
  plotTypes: readonly string[],
  { beamCurrent = 100, run = 4242 } = {},
): Promise<EpicsApp> {
  const ioc = await EpicsIoc.start([
    ...plotTypes.map((plotType) => numericPv(plotPv(plotType), UNWRITTEN)),
    numericPv(BAD_COUNT_PV, UNWRITTEN),
    stringPv(LAST_BAD_PV, 'none'),
    numericPv(BEAM_PV, beamCurrent),
    integerPv(RUN_PV, run),
  ]);
  t.after(() => ioc.stop());
  const server = ioc.serverConfig();
  const app = await buildTestApp(t, 'sqlite', {
    HYDRA_EPICS_CA_ADDR_LIST: server.HYDRA_EPICS_CA_ADDR_LIST,
    HYDRA_EPICS_CA_SERVER_PORT: String(server.HYDRA_EPICS_CA_SERVER_PORT),
    HYDRA_EPICS_BEAM_CURRENT_PV: BEAM_PV,
    HYDRA_EPICS_BEAM_THRESHOLD: String(BEAM_THRESHOLD),
    HYDRA_EPICS_RUN_NUMBER_PV: RUN_PV,
    HYDRA_EPICS_PUT_TIMEOUT_MS: '1000',
    HYDRA_EPICS_RECONNECT_MAX_MS: '500',
  });
  for (const plotType of plotTypes) {
    const { id } = await createPlotType(app.app, app.tokens.admin, DEPLOYMENT, plotType);
    await registerBrightnessModel(app.app, app.tokens.expert, id);
  }
  await waitFor(async () => (await epicsStatus(app)).state === 'connected', { what: 'EPICS connected' });
  return { ...app, ioc };
}

export async function epicsStatus(app: TestApp): Promise<ServerStatus['epics']> {
  const response = await app.app.inject({ url: '/api/v1/status', headers: auth(app.tokens.viewer) });
  return response.json<ServerStatus>().epics;
}

/** Uploads a plot (bright is Good, dark Bad under the brightness model); returns the image id. */
export async function upload(
  app: TestApp,
  plotType: string,
  brightness: number,
  seed: number,
  run?: number,
): Promise<number> {
  const fields = { deployment: DEPLOYMENT, plotType, ...(run === undefined ? {} : { run: String(run) }) };
  const { response, result } = await uploadPlot(
    app.app,
    app.tokens.ingest,
    fields,
    await plotPng({ brightness, seed }),
  );
  if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
  return result!.image.id;
}

export async function predictions(app: TestApp): Promise<Prediction[]> {
  const response = await app.app.inject({
    url: `/api/v1/predictions?deployment=${DEPLOYMENT}&limit=1000`,
    headers: auth(app.tokens.viewer),
  });
  return response.json<PredictionList>().items;
}

/** Waits until every image has its prediction; returns them all, newest first. */
export function predictionsOf(app: TestApp, imageIds: readonly number[]): Promise<Prediction[]> {
  return waitFor(
    async () => {
      const all = await predictions(app);
      const have = new Set(all.map((p) => p.imageId));
      return imageIds.every((id) => have.has(id)) && all;
    },
    { what: `${imageIds.length} predictions`, timeoutMs: 60_000 },
  );
}

/** What the plot's PV should hold: p(Good) − p(Bad) of its latest verdict (the newest prediction). */
export function expectedPlotValue(all: readonly Prediction[], plotType: string): number {
  const latest = all.filter((p) => p.plotType === plotType).sort((a, b) => b.id - a.id)[0]!;
  return latest.probabilities.Good! - latest.probabilities.Bad!;
}

/** How many plot types' latest verdict is a confirmed Bad. */
export function expectedBadCount(all: readonly Prediction[], plotTypes: readonly string[]): number {
  return plotTypes.filter((plotType) => {
    const latest = all.filter((p) => p.plotType === plotType).sort((a, b) => b.id - a.id)[0];
    return latest?.verdict === 'Bad' && latest.confirmed;
  }).length;
}
