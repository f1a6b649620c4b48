// The small rows of a seeded catalog, through the repositories: each hall's deployment and plot types with their
// classes and two model versions (the second active), and the runs the timeline took.
import type { Kysely } from 'kysely';
import type { Repositories } from '../../src/catalog/catalog.ts';
import type { Database } from '../../src/catalog/database.ts';
import { inBatches } from '../../src/catalog/repositories/statement-batches.ts';
import { classDefinitions } from '../../src/models/model-library.ts';
import { SEED_EXPERTS, SEED_RULE } from './plot-rows.ts';
import { MINUTE_MS, SEED_PLOT_TYPES, type ScheduledRun, type SeedDeployment } from './timeline.ts';

export interface RegisteredPlotType {
  id: number;
  /** The first and second model version's ids. */
  versions: number[];
}

export interface RegisteredDeployment {
  id: number;
  plotTypes: RegisteredPlotType[];
}

/** Each hall's deployment and plot types, with their classes and two versions of a model, the second active. */
export async function registerPlotTypes(
  repositories: Repositories,
  halls: readonly Pick<SeedDeployment, 'name' | 'title'>[],
  plotTypesOfHall: ReadonlyArray<{ name: string; group: string; title: string }> = SEED_PLOT_TYPES,
): Promise<RegisteredDeployment[]> {
  const registered: RegisteredDeployment[] = [];
  for (const deployment of halls) {
    const row = await repositories.deployments.ensure(deployment.name, deployment.title);
    const plotTypes: RegisteredPlotType[] = [];
    for (const { name, group, title } of plotTypesOfHall) {
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
          actor: SEED_EXPERTS[0]!,
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

export const runKey = (run: Pick<ScheduledRun, 'deployment' | 'number'>) => `${run.deployment}:${run.number}`;

/** The runs, ended unless still taking data at the end; returns their ids by deployment index and number. */
export async function insertRuns(
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
