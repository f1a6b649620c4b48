import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SqlEngine } from '../connection.ts';
import * as initial from './0001-initial.ts';
import * as labelsReferencesTraining from './0002-labels-references-training.ts';
import * as activationTime from './0003-activation-time.ts';
import * as modelKindAndActivations from './0004-model-kind-and-activations.ts';
import * as predictionPointWritten from './0005-prediction-point-written.ts';
import * as predictionBeam from './0006-prediction-beam.ts';
import * as alertEvents from './0007-alert-events.ts';
import * as labelerLogNews from './0008-labeler-log-news.ts';
import * as grafanaProxyTokensAppliesUnlabeledIndex from './0009-grafana-proxy-tokens-applies-unlabeled-index.ts';
import * as replicaClaims from './0010-replica-claims.ts';
import * as reprocessing from './0011-reprocessing.ts';
import * as catalogScale from './0012-catalog-scale.ts';
import * as splitPrediction from './0015-split-prediction.ts';
import * as runSummaryAggregates from './0016-run-summary-aggregates.ts';
import * as logbook from './0017-logbook.ts';
import * as anomalyScores from './0018-anomaly-scores.ts';
import * as predictionPlotType from './0020-prediction-plot-type.ts';
import * as referenceDistance from './0021-reference-distance.ts';
import * as imageUniqueness from './0022-image-uniqueness.ts';

type EngineMigration = { up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> };

// Listed in order; names sort as they run.
const migrations: Record<string, EngineMigration> = {
  '0001-initial': initial,
  '0002-labels-references-training': labelsReferencesTraining,
  '0003-activation-time': activationTime,
  '0004-model-kind-and-activations': modelKindAndActivations,
  '0005-prediction-point-written': predictionPointWritten,
  '0006-prediction-beam': predictionBeam,
  '0007-alert-events': alertEvents,
  '0008-labeler-log-news': labelerLogNews,
  '0009-grafana-proxy-tokens-applies-unlabeled-index': grafanaProxyTokensAppliesUnlabeledIndex,
  '0010-replica-claims': replicaClaims,
  '0011-reprocessing': reprocessing,
  '0012-catalog-scale': catalogScale,
  '0015-split-prediction': splitPrediction,
  '0016-run-summary-aggregates': runSummaryAggregates,
  '0017-logbook': logbook,
  '0018-anomaly-scores': anomalyScores,
  '0020-prediction-plot-type': predictionPlotType,
  '0021-reference-distance': referenceDistance,
  '0022-image-uniqueness': imageUniqueness,
};

function providerFor(engine: SqlEngine): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]): [string, Migration] => [
          name,
          { up: (db) => m.up(db, engine) },
        ]),
      );
    },
  };
}

/** Brings the catalog schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Kysely<unknown>, engine: SqlEngine): Promise<string[]> {
  const migrator = new Migrator({ db, provider: providerFor(engine) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
