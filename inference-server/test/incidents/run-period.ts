// A run period in the catalog, verdict by verdict at chosen times: the plot types of a deployment with their classes
// and an active model, runs, and each plot's verdict with the beam state it was made under.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { registerPlotTypes } from '../../bench/catalog/seed-setup.ts';
import { storeImages, type BulkImage, type BulkLabel } from '../../bench/catalog/store-images.ts';
import { connectCatalog } from '../../src/catalog/connection.ts';
import type { BeamState } from '../../src/enums.ts';
import type { LogbookImportResult } from '../../src/schemas/index.ts';
import { auth } from '../helpers/api.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface PeriodPlotType {
  name: string;
  group: string;
  title: string;
}

export interface PlannedVerdict {
  plotType: string;
  at: number;
  verdict: 'Good' | 'Bad';
  confirmed: boolean;
  run: number;
  beam: BeamState;
  acknowledgement?: { user: string; at: number };
  override?: BulkLabel;
}

export interface SeededPeriod {
  deploymentId: number;
  plotTypeIds: Map<string, number>;
}

/** Registers the deployment's plot types and stores the verdicts (with their images, runs and acknowledgements). */
export async function seedPeriod(
  app: FastifyInstance,
  databaseUrl: string,
  deployment: string,
  plotTypes: readonly PeriodPlotType[],
  verdicts: readonly PlannedVerdict[],
): Promise<SeededPeriod> {
  const [registered] = await registerPlotTypes(
    app.catalog,
    [{ name: deployment, title: deployment }],
    plotTypes,
  );
  const ids = new Map(plotTypes.map((p, i) => [p.name, registered!.plotTypes[i]!]));
  const runIds = new Map<number, number>();
  for (const verdict of [...verdicts].sort((a, b) => a.at - b.at)) {
    if (!runIds.has(verdict.run))
      runIds.set(verdict.run, await app.catalog.runs.ensure(registered!.id, verdict.run, verdict.at));
  }
  const rows = verdicts.map((planned, n): BulkImage => {
    const plotType = ids.get(planned.plotType)!;
    const sha256 = createHash('sha256').update(`${deployment}:${n}`).digest('hex');
    const pGood = planned.verdict === 'Good' ? 0.95 : planned.confirmed ? 0.05 : 0.4;
    return {
      image: {
        sha256,
        dedup_key: [plotType.id, planned.run, '-', sha256].join(':'),
        plot_type_id: plotType.id,
        run_id: runIds.get(planned.run)!,
        run_number: planned.run,
        chunk: null,
        captured_at: planned.at - 2000,
        received_at: planned.at - 1000,
        path: `images/${sha256.slice(0, 2)}/${sha256}.png`,
        format: 'png',
        bytes: 1000,
        width: 800,
        height: 600,
        status: 'classified',
        error: null,
        claimed_by: null,
        claimed_until: null,
      },
      prediction: {
        model_version_id: plotType.versions[1]!,
        plot_type_id: plotType.id,
        probabilities: JSON.stringify({ Good: pGood, Bad: 1 - pGood, NoData: 0 }),
        verdict: planned.verdict,
        confidence: Math.max(pGood, 1 - pGood),
        confirmed: planned.confirmed ? 1 : 0,
        latency_ms: 40,
        inference_ms: 10,
        created_at: planned.at,
        point_written: 1,
        beam: planned.beam,
      },
      labels: planned.override ? [planned.override] : [],
      acknowledgement: planned.acknowledgement
        ? { user_name: planned.acknowledgement.user, comment: null, created_at: planned.acknowledgement.at }
        : null,
    };
  });
  const { db } = connectCatalog(databaseUrl);
  try {
    await storeImages(db, rows);
  } finally {
    await db.destroy();
  }
  return { deploymentId: registered!.id, plotTypeIds: new Map([...ids].map(([name, p]) => [name, p.id])) };
}

/** Posts a logbook file as an expert; the import's answer. */
export async function importLogbookFile(
  app: FastifyInstance,
  token: string,
  deployment: string,
  format: 'csv' | 'jsonl',
  content: string,
): Promise<LogbookImportResult> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/logbook',
    headers: auth(token),
    payload: { deployment, format, content },
  });
  if (response.statusCode !== 200) throw new Error(`logbook import: ${response.statusCode} ${response.body}`);
  return response.json<LogbookImportResult>();
}

/** A time of the period as the API writes it. */
export const iso = (ms: number) => new Date(ms).toISOString();
